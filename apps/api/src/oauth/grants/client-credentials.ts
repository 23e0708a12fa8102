import type { TokenResponse } from "../../auth/token-issuer.js";
import { oauthErrors } from "../oauth-error.js";
import { parseScopeParam, requireScopesForGrant } from "../scope-param.js";
import type { GrantContext } from "./grant.js";

/**
 * Client credentials (simple_oauth 6.x): only for confidential clients with a default user,
 * whose identity the token carries. `scope` is required unless the client has default scopes.
 * No refresh token.
 */
export async function clientCredentialsGrant(context: GrantContext): Promise<TokenResponse> {
  const { request, params, client, services } = context;
  if (!client.confidential) throw oauthErrors.invalidClient(request);

  const requested = parseScopeParam(params.get("scope"));
  const scopes = requested.length > 0 ? requested : client.defaultScopes;
  if (scopes.length === 0) throw oauthErrors.invalidRequest("scope");
  requireScopesForGrant(scopes, "client_credentials", services.scopes);

  if (client.defaultUser === null) {
    throw oauthErrors.unauthorizedClient("The client has no default user");
  }
  const user = services.users.findByUid(client.defaultUser);
  if (!user || !user.status) {
    throw oauthErrors.unauthorizedClient("The client's default user is blocked or missing");
  }

  return services.issuer.issue({
    clientId: client.clientId,
    uid: user.uid,
    scopes,
    withRefreshToken: false,
  });
}
