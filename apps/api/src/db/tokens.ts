import type { Database } from "./database.js";
import { nowSeconds } from "./database.js";

export interface TokenRow {
  id: number;
  kind: "access" | "refresh";
  value_hash: string;
  family: string;
  client_id: string;
  uid: number | null;
  scopes: string;
  access_token_id: number | null;
  created: number;
  expires: number;
  revoked: number;
  rotated: number;
}

export interface NewToken {
  kind: "access" | "refresh";
  valueHash: string;
  family: string;
  clientId: string;
  uid: number | null;
  scopes: string[];
  accessTokenId?: number | null;
  expires: number;
}

export type TokenRepository = ReturnType<typeof createTokenRepository>;

/** Access and refresh tokens, stored by the hash of their secret part. */
export function createTokenRepository(db: Database) {
  const insert = db.prepare(
    `INSERT INTO oauth_tokens (kind, value_hash, family, client_id, uid, scopes, access_token_id, created, expires)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const byHash = db.prepare<[string, string], TokenRow>(
    "SELECT * FROM oauth_tokens WHERE kind = ? AND value_hash = ?",
  );
  const claimForRotation = db.prepare(
    "UPDATE oauth_tokens SET rotated = 1, revoked = 1 WHERE id = ? AND rotated = 0 AND revoked = 0",
  );
  const revokeById = db.prepare("UPDATE oauth_tokens SET revoked = 1 WHERE id = ?");
  const revokeFamily = db.prepare("UPDATE oauth_tokens SET revoked = 1 WHERE family = ?");
  const revokeUser = db.prepare("UPDATE oauth_tokens SET revoked = 1 WHERE uid = ?");
  const revokeUserAccess = db.prepare(
    "UPDATE oauth_tokens SET revoked = 1 WHERE uid = ? AND kind = 'access'",
  );

  return {
    insert(token: NewToken): number {
      const result = insert.run(
        token.kind,
        token.valueHash,
        token.family,
        token.clientId,
        token.uid,
        JSON.stringify(token.scopes),
        token.accessTokenId ?? null,
        nowSeconds(),
        token.expires,
      );
      return Number(result.lastInsertRowid);
    },
    find(kind: "access" | "refresh", valueHash: string): TokenRow | undefined {
      return byHash.get(kind, valueHash);
    },
    /**
     * Marks a refresh token as used, atomically: of several concurrent refreshes with the same
     * token exactly one gets `true`.
     */
    claimForRotation(id: number): boolean {
      return claimForRotation.run(id).changes === 1;
    },
    revoke(id: number): void {
      revokeById.run(id);
    },
    revokeFamily(family: string): void {
      revokeFamily.run(family);
    },
    revokeUser(uid: number): number {
      return revokeUser.run(uid).changes;
    },
    /** Drupal deletes a user's access tokens whenever the user entity is saved; refresh tokens stay. */
    revokeUserAccessTokens(uid: number): void {
      revokeUserAccess.run(uid);
    },
    transaction<T>(fn: () => T): T {
      return db.transaction(fn)();
    },
  };
}
