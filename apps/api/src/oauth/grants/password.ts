import { grantedRoles } from "../../auth/granted-roles.js";
import type { TokenResponse } from "../../auth/token-issuer.js";
import { nowSeconds } from "../../db/database.js";
import { OPENID_SCOPE } from "../../db/scopes.js";
import { oauthErrors } from "../oauth-error.js";
import { finalizeScopes5, requireScopes5 } from "../compat.js";
import { parseScopeParam, requireScopesForGrant } from "../scope-param.js";
import { signIn } from "../sign-in.js";
import type { GrantContext } from "./grant.js";

/**
 * Resource owner password credentials (simple_oauth_password_grant): `username` may also be the
 * e-mail address. Unknown user, wrong password and blocked user give the identical answer, and
 * all cost one Argon2 verification. Without `scope` the token has no scopes (as in 6.0.9); with
 * `openid` among them the response also carries an `id_token` (OpenID Connect Core §3.1.3.3).
 * In 5.x mode the scopes are role names narrowed to the user's roles plus `authenticated`
 * (drupal-wire A.1, A.5: 5.x `finalizeScopes`).
 */
export async function passwordGrant(context: GrantContext): Promise<TokenResponse> {
  const { request, params, client, audience, services, limiter } = context;
  const compat = services.config.compat;
  const requested = parseScopeParam(params.get("scope"));
  if (compat === 5) requireScopes5(requested);
  else requireScopesForGrant(requested, "password", services.scopes);
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

  const { user } = result;
  const scopes = compat === 5 ? finalizeScopes5(requested, user.roles) : requested;
  const response = await services.issuer.issue({
    clientId: client.clientId,
    audience,
    uid: user.uid,
    scopes,
    withRefreshToken: true,
  });
  // simple_oauth adds the ID token for every grant whose scopes include `openid`
  // (`OpenIdConnectIdTokenResponse`); the password was checked just now, and there is no nonce.
  if (!scopes.includes(OPENID_SCOPE)) return response;
  return {
    ...response,
    id_token: await services.issuer.signIdToken({
      audience,
      user,
      authTime: nowSeconds(),
      nonce: undefined,
      roles: grantedRoles(scopes, user.roles, services.scopes),
    }),
  };
}
