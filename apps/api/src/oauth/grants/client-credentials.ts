import type { TokenResponse } from "../../auth/token-issuer.js";
import { oauthErrors } from "../oauth-error.js";
import { finalizeScopes5, requireScopes5 } from "../compat.js";
import { parseScopeParam, requireScopesForGrant } from "../scope-param.js";
import type { GrantContext } from "./grant.js";

/**
 * Client credentials (simple_oauth 6.x): only for confidential clients with a default user,
 * whose identity the token carries. `scope` is required unless the client has default scopes.
 * No refresh token. In 5.x mode no scope is required and the scopes are narrowed to the
 * default user's roles (5.x `finalizeScopes` falls back to the consumer's user).
 */
export async function clientCredentialsGrant(context: GrantContext): Promise<TokenResponse> {
  const { request, params, client, audience, services } = context;
  if (!client.confidential) throw oauthErrors.invalidClient(request);

  const compat = services.config.compat;
  const requested = parseScopeParam(params.get("scope"));
  const scopes = requested.length > 0 || compat === 5 ? requested : client.defaultScopes;
  if (compat === 5) requireScopes5(scopes);
  else {
    if (scopes.length === 0) throw oauthErrors.invalidRequest("scope");
    requireScopesForGrant(scopes, "client_credentials", services.scopes);
  }

  if (client.defaultUser === null) {
    throw oauthErrors.unauthorizedClient("The client has no default user");
  }
  const user = services.users.findByUid(client.defaultUser);
  if (!user || !user.status) {
    throw oauthErrors.unauthorizedClient("The client's default user is blocked or missing");
  }

  return services.issuer.issue({
    clientId: client.clientId,
    audience,
    uid: user.uid,
    scopes: compat === 5 ? finalizeScopes5(scopes, user.roles) : scopes,
    withRefreshToken: false,
  });
}
