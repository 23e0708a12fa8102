import { grantedRoles } from "../../auth/granted-roles.js";
import { sha256 } from "../../auth/hash.js";
import type { ReservedTokens, TokenResponse } from "../../auth/token-issuer.js";
import { nowSeconds } from "../../db/database.js";
import { OPENID_SCOPE } from "../../db/scopes.js";
import type { OAuthError } from "../oauth-error.js";
import { oauthErrors } from "../oauth-error.js";
import type { RememberedRotation } from "../refresh-reuse.js";
import { parseScopeParam, storedScopes } from "../scope-param.js";
import type { GrantContext } from "./grant.js";

interface Rotated {
  ok: true;
  reserved: ReservedTokens;
  uid: number | null;
  scopes: string[];
  family: string;
}

type Rotation =
  | Rotated
  | { ok: "again"; remembered: RememberedRotation }
  | { ok: false; error: OAuthError; reason: string; reuse?: boolean };

/**
 * The refresh-token grant with rotation (league `RefreshTokenGrant` + RFC 9700 reuse detection).
 *
 * Checking the old token, claiming it, revoking its access token and storing the new pair
 * happen in one synchronous SQLite transaction, so of two concurrent refreshes with the same
 * token exactly one wins. Presenting a token that was already rotated is treated as theft:
 * the whole family (every token descended from the same sign-in) is revoked. league and
 * simple_oauth do not do this; we deliberately go further (security catalogue C8).
 *
 * Except within the reuse interval (REFRESH_REUSE_INTERVAL): the token just rotated, presented
 * again by its client while the token that replaced it is still live, gets the first answer
 * again (same tokens, same `expires_in`), whatever `scope` it asks for. A client whose answer
 * was lost can retry and adopt it. Drupal has no such interval (security catalogue C8: "must
 * return the same tokens").
 */
export async function refreshTokenGrant(context: GrantContext): Promise<TokenResponse> {
  const { request, params, client, services } = context;
  const { tokens, users, issuer, refreshReuse } = services;
  const presented = params.get("refresh_token");
  if (presented === undefined) throw oauthErrors.invalidRequest("refresh_token");
  const presentedHash = sha256(presented);
  const requestedScopes = parseScopeParam(params.get("scope"));

  // No early return may throw inside: a throw would roll back the family revocation.
  const rotation = tokens.transaction((): Rotation => {
    const fail = (hint: string, reason: string, reuse = false): Rotation => ({
      ok: false,
      error: oauthErrors.invalidRefreshToken(hint, services.config.compat),
      reason,
      reuse,
    });
    const row = tokens.find("refresh", presentedHash);
    if (!row) return fail("Cannot decrypt the refresh token", "unknown_token");
    if (row.client_id !== client.clientId) {
      return fail("Token is not linked to client", "other_client");
    }
    if (row.expires < nowSeconds()) return fail("Token has expired", "expired");
    if (row.rotated === 1) {
      const remembered = refreshReuse.recall(presentedHash);
      if (remembered?.clientId === client.clientId) {
        const next = tokens.find("refresh", remembered.nextRefreshHash);
        if (next?.revoked === 0) return { ok: "again", remembered };
        // Signed out, revoked or blocked since: nothing was stolen, nothing more to revoke.
        if (next?.rotated === 0) return fail("Token has been revoked", "revoked");
      }
      tokens.revokeFamily(row.family);
      return fail("Token has been revoked", "reuse_detected", true);
    }
    if (row.revoked === 1) return fail("Token has been revoked", "revoked");

    const originalScopes = storedScopes(row.scopes);
    const widened = requestedScopes.find((name) => !originalScopes.includes(name));
    if (widened !== undefined) {
      return { ok: false, error: oauthErrors.invalidScope(widened), reason: "scope_widened" };
    }

    if (row.uid !== null) {
      const user = users.findByUid(row.uid);
      if (!user || !user.status) {
        tokens.revokeUser(row.uid);
        return fail("The user has been blocked or has not been activated.", "blocked_user");
      }
    }

    // Atomic single-use marker; losing here means someone else rotated it a moment ago.
    if (!tokens.claimForRotation(row.id)) {
      tokens.revokeFamily(row.family);
      return fail("Token has been revoked", "reuse_detected", true);
    }
    if (row.access_token_id !== null) tokens.revoke(row.access_token_id);
    const scopes = requestedScopes.length > 0 ? requestedScopes : originalScopes;
    const reserved = issuer.reserve({
      clientId: client.clientId,
      audience: context.audience,
      uid: row.uid,
      scopes,
      withRefreshToken: true,
      family: row.family,
    });
    return { ok: true, reserved, uid: row.uid, scopes, family: row.family };
  });

  if (rotation.ok === "again") {
    request.log.info(
      { clientId: client.clientId, outcome: "reuse_interval" },
      "rotated refresh token presented again within the reuse interval: same answer",
    );
    return rotation.remembered.answer;
  }
  if (!rotation.ok) {
    const entry = { clientId: client.clientId, outcome: rotation.reason };
    if (rotation.reuse) {
      request.log.warn(entry, "refresh token reused: token family revoked");
    } else {
      request.log.info(entry, "refresh refused");
    }
    throw rotation.error;
  }
  request.log.info({ clientId: client.clientId, uid: rotation.uid }, "refresh token rotated");
  // Remembered before the first await, so a concurrent retry finds it and waits for the answer.
  const answer = answerOf(context, rotation);
  const { refreshToken } = rotation.reserved;
  if (refreshToken !== undefined) {
    refreshReuse.remember(presentedHash, {
      clientId: client.clientId,
      nextRefreshHash: sha256(refreshToken),
      answer,
    });
    answer.catch(() => {
      refreshReuse.forget(presentedHash);
    });
  }
  return answer;
}

/** Signs the rotated pair; with `openid`, a new ID token too. */
async function answerOf(context: GrantContext, rotation: Rotated): Promise<TokenResponse> {
  const { services } = context;
  const { users, issuer } = services;
  const response = await issuer.sign(rotation.reserved);
  // OpenID Connect Core §12.2: a new ID token with the original `auth_time`, without `nonce`.
  const user = rotation.uid === null ? undefined : users.findByUid(rotation.uid);
  if (!user || !rotation.scopes.includes(OPENID_SCOPE)) return response;
  return {
    ...response,
    id_token: await issuer.signIdToken({
      audience: context.audience,
      user,
      authTime: services.codes.authTimeOfFamily(rotation.family),
      nonce: undefined,
      roles: grantedRoles(rotation.scopes, user.roles, services.scopes),
    }),
  };
}
