import { sha256 } from "../../auth/hash.js";
import { verifyPassword } from "../../auth/passwords.js";
import type { TokenResponse } from "../../auth/token-issuer.js";
import { logSafe } from "../log-safe.js";
import { oauthErrors } from "../oauth-error.js";
import { parseScopeParam, requireScopesForGrant } from "../scope-param.js";
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

  const user = services.users.findByNameOrMail(username);
  // One counter per account, whether it is addressed by name or by e-mail.
  const accountKey = user ? `uid:${user.uid}` : `name:${sha256(username.toLowerCase())}`;
  const log = { username: logSafe(username), clientId: client.clientId };

  const wait = await limiter.reserve(accountKey, request.ip);
  if (wait !== undefined) {
    request.log.warn({ ...log, outcome: "throttled", retryAfter: wait }, "sign-in throttled");
    throw oauthErrors.tooManyAttempts(wait);
  }

  const passwordOk = await verifyPassword(user?.pass, password);
  if (!user || !passwordOk || !user.status) {
    const outcome = !user ? "unknown_user" : !passwordOk ? "wrong_password" : "blocked_user";
    request.log.info({ ...log, outcome }, "sign-in failed");
    throw oauthErrors.invalidCredentials();
  }

  await limiter.succeeded(accountKey, request.ip);
  request.log.info({ ...log, uid: user.uid, outcome: "success" }, "sign-in succeeded");
  return services.issuer.issue({
    clientId: client.clientId,
    uid: user.uid,
    scopes,
    withRefreshToken: true,
  });
}
