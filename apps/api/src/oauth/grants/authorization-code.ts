import { grantedRoles } from "../../auth/granted-roles.js";
import { sha256 } from "../../auth/hash.js";
import type { ReservedTokens, TokenResponse } from "../../auth/token-issuer.js";
import type { AuthorizationCodeRow } from "../../db/authorization-codes.js";
import { nowSeconds } from "../../db/database.js";
import { OPENID_SCOPE } from "../../db/scopes.js";
import type { UserWithHash } from "../../db/users.js";
import type { OAuthError } from "../oauth-error.js";
import { oauthErrors } from "../oauth-error.js";
import { CODE_VERIFIER_PATTERN, verifierMatches } from "../pkce.js";
import { finalizeScopes5 } from "../compat.js";
import { storedScopes } from "../scope-param.js";
import type { GrantContext } from "./grant.js";

type Exchange =
  | { ok: true; reserved: ReservedTokens; code: AuthorizationCodeRow; user: UserWithHash }
  | { ok: false; error: OAuthError; reason: string; replay?: boolean };

/**
 * The authorization code grant (RFC 6749 §4.1.3 with PKCE S256, RFC 7636 §4.6), in league's
 * wire format. The code is looked up by its hash, checked and claimed, and the tokens stored,
 * in one synchronous SQLite transaction: of two concurrent exchanges exactly one wins.
 *
 * A code presented a second time is refused and every token issued from it (its token family,
 * including refreshed descendants) is revoked (RFC 6749 §4.1.2 and §10.5). A failed check does
 * not use the code up; the verifier cannot be guessed anyway.
 *
 * In 5.x mode the code's scopes are narrowed to the user's roles plus `authenticated` at the
 * exchange (league 8 `AuthCodeGrant` finalizes the scopes with the code's user; drupal-wire A.5).
 */
export async function authorizationCodeGrant(context: GrantContext): Promise<TokenResponse> {
  const { request, params, client, audience, services } = context;
  const { codes, tokens, users, issuer } = services;
  const presented = params.get("code");
  if (presented === undefined) throw oauthErrors.invalidRequest("code");
  const redirectUri = params.get("redirect_uri");
  if (redirectUri === undefined) throw oauthErrors.invalidRequest("redirect_uri");
  const verifier = params.get("code_verifier");

  // No early return may throw inside: a throw would roll back the family revocation.
  const exchange = tokens.transaction((): Exchange => {
    const fail = (hint: string, reason: string, replay = false): Exchange => ({
      ok: false,
      error: oauthErrors.invalidGrant(hint),
      reason,
      replay,
    });
    const code = codes.find(sha256(presented));
    if (!code) return fail("Cannot decrypt the authorization code", "unknown_code");
    if (code.used === 1) {
      tokens.revokeFamily(code.family);
      return fail("Authorization code has been revoked", "code_replayed", true);
    }
    if (code.client_id !== client.clientId) {
      return fail("Authorization code was not issued to this client", "other_client");
    }
    if (code.expires < nowSeconds()) return fail("Authorization code has expired", "expired");
    if (code.redirect_uri !== redirectUri) return fail("Invalid redirect URI", "redirect_uri");
    if (verifier === undefined) {
      return {
        ok: false,
        error: oauthErrors.invalidRequest("code_verifier"),
        reason: "no_verifier",
      };
    }
    if (!CODE_VERIFIER_PATTERN.test(verifier)) {
      return {
        ok: false,
        error: oauthErrors.invalidRequest(
          "code_verifier",
          "Code Verifier must follow the specifications of RFC-7636.",
        ),
        reason: "malformed_verifier",
      };
    }
    if (!verifierMatches(verifier, code.code_challenge)) {
      return fail("Failed to verify `code_verifier`.", "wrong_verifier");
    }

    const user = users.findByUid(code.uid);
    if (!user || !user.status) {
      return fail("The user has been blocked or has not been activated.", "blocked_user");
    }
    // Atomic single-use marker; losing here means another exchange won a moment ago.
    if (!codes.claim(code.id)) {
      tokens.revokeFamily(code.family);
      return fail("Authorization code has been revoked", "code_replayed", true);
    }
    const requested = storedScopes(code.scopes);
    const reserved = issuer.reserve({
      clientId: client.clientId,
      audience,
      uid: code.uid,
      scopes: services.config.compat === 5 ? finalizeScopes5(requested, user.roles) : requested,
      withRefreshToken: client.grantTypes.includes("refresh_token"),
      family: code.family,
    });
    return { ok: true, reserved, code, user };
  });

  if (!exchange.ok) {
    const entry = { clientId: client.clientId, outcome: exchange.reason };
    if (exchange.replay) {
      request.log.warn(entry, "authorization code replayed: tokens issued from it revoked");
    } else {
      request.log.info(entry, "authorization code refused");
    }
    throw exchange.error;
  }

  const { code, user } = exchange;
  request.log.info({ clientId: client.clientId, uid: user.uid }, "authorization code exchanged");
  const response = await issuer.sign(exchange.reserved);
  if (!storedScopes(code.scopes).includes(OPENID_SCOPE)) return response;
  return {
    ...response,
    id_token: await issuer.signIdToken({
      audience,
      user,
      authTime: code.auth_time,
      nonce: code.nonce ?? undefined,
      roles: grantedRoles(storedScopes(code.scopes), user.roles, services.scopes),
    }),
  };
}
