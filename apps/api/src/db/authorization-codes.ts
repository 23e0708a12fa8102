import type { Database } from "./database.js";
import { nowSeconds } from "./database.js";

/** A stored authorization code; the code itself is never stored, only its SHA-256. */
export interface AuthorizationCodeRow {
  id: number;
  code_hash: string;
  client_id: string;
  uid: number;
  redirect_uri: string;
  scopes: string;
  code_challenge: string;
  nonce: string | null;
  auth_time: number;
  /** The token family every token issued from this code belongs to. */
  family: string;
  created: number;
  expires: number;
  used: number;
}

export interface NewAuthorizationCode {
  codeHash: string;
  clientId: string;
  uid: number;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string;
  nonce: string | undefined;
  authTime: number;
  family: string;
  expires: number;
}

export type AuthorizationCodeRepository = ReturnType<typeof createAuthorizationCodeRepository>;

export function createAuthorizationCodeRepository(db: Database) {
  const insert = db.prepare(
    `INSERT INTO oauth_authorization_codes
       (code_hash, client_id, uid, redirect_uri, scopes, code_challenge, nonce, auth_time, family, created, expires)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const byHash = db.prepare<[string], AuthorizationCodeRow>(
    "SELECT * FROM oauth_authorization_codes WHERE code_hash = ?",
  );
  const claim = db.prepare(
    "UPDATE oauth_authorization_codes SET used = 1 WHERE id = ? AND used = 0",
  );
  const authTimeOfFamily = db.prepare<[string], { auth_time: number }>(
    "SELECT auth_time FROM oauth_authorization_codes WHERE family = ?",
  );
  const purge = db.prepare("DELETE FROM oauth_authorization_codes WHERE expires < ?");

  return {
    insert(code: NewAuthorizationCode): void {
      insert.run(
        code.codeHash,
        code.clientId,
        code.uid,
        code.redirectUri,
        JSON.stringify(code.scopes),
        code.codeChallenge,
        code.nonce ?? null,
        code.authTime,
        code.family,
        nowSeconds(),
        code.expires,
      );
    },
    find(codeHash: string): AuthorizationCodeRow | undefined {
      return byHash.get(codeHash);
    },
    /** Marks a code as used, atomically: of concurrent exchanges exactly one gets `true`. */
    claim(id: number): boolean {
      return claim.run(id).changes === 1;
    },
    /** When the user of a code-flow token family signed in (for `auth_time` on refresh). */
    authTimeOfFamily(family: string): number | undefined {
      return authTimeOfFamily.get(family)?.auth_time;
    },
    /**
     * Deletes codes that expired before `before`. Used codes are kept until then so a replay
     * within that time is still recognised (and revokes what the code issued).
     */
    purgeExpired(before: number): number {
      return purge.run(before).changes;
    },
  };
}
