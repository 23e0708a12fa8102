import type { TokenResponse } from "../../auth/token-issuer.js";
import { oauthErrors } from "../oauth-error.js";
import { parseScopeParam, requireScopesForGrant } from "../scope-param.js";
import { signIn } from "../sign-in.js";
import type { GrantContext } from "./grant.js";

/**
 * Resource owner password credentials (simple_oauth_password_grant): `username` may also be the
 * e-mail address. Unknown user, wrong password and blocked user give the identical answer, and
 * all cost one Argon2 verification. Without `scope` the token has no scopes (as in 6.0.9).
 */
export async function passwordGrant(context: GrantContext): Promise<TokenResponse> {
  const { request, params, client, services, limiter } = context;
  const scopes = parseScopeParam(params.get("scope"));
  requireScopesForGrant(scopes, "password", services.scopes);
  const username = params.get("username");
  if (username === undefined) throw oauthErrors.invalidRequest("username");
  const password = params.get("password");
  if (password === undefined) throw oauthErrors.invalidRequest("password");

  const result = await signIn({
    request,
    services,
    limiter,
    username,
    password,
    clientId: client.clientId,
    via: "password_grant",
  });
  if (result.outcome === "throttled") throw oauthErrors.tooManyAttempts(result.retryAfter);
  if (result.outcome === "failed") throw oauthErrors.invalidCredentials();

  return services.issuer.issue({
    clientId: client.clientId,
    uid: result.user.uid,
    scopes,
    withRefreshToken: true,
  });
}
