import { hkdfSync } from "node:crypto";
import { jwtDecrypt } from "jose";
import { type SessionClaims, readSessionClaims } from "./claims.js";

/**
 * Decrypts next-auth v4 session JWTs the way `next-auth/jwt` `decode` does, with the key
 * derived once per secret instead of on every call: HKDF-SHA256 of the secret, salt "", info
 * "NextAuth.js Generated Encryption Key", 32 bytes; JWE `dir` + `A256GCM`; 15 s clock
 * tolerance. A custom `jwt.encode`/`decode` in the next-auth options would break this.
 */
export interface SessionDecoded {
  /** The session's checked claims. */
  claims: SessionClaims;
  /** The JWT's own expiry, epoch seconds. */
  exp: number;
}

/** Decrypts a session cookie value to our claims and its `exp`; null when it does not decrypt or is not our claim shape. */
export type SessionDecoder = (token: string) => Promise<SessionDecoded | null>;

const info = "NextAuth.js Generated Encryption Key";

/** next-auth's cookie key for `secret`. A CryptoKey imported once is about twice as fast per use as raw bytes. */
export function sessionEncryptionKey(
  secret: string,
  usage: "encrypt" | "decrypt",
): Promise<CryptoKey> {
  const raw = new Uint8Array(hkdfSync("sha256", secret, "", info, 32));
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, [usage]);
}

/**
 * A fast decoder of next-auth's session JWE (`dir`/A256GCM, HKDF key from the secret) with the
 * key imported once; the upstream route uses it on every request.
 */
export function createSessionDecoder(secret: string): SessionDecoder {
  const key = sessionEncryptionKey(secret, "decrypt");

  return async function decodeSession(token) {
    try {
      const { payload } = await jwtDecrypt(token, await key, {
        clockTolerance: 15,
        keyManagementAlgorithms: ["dir"],
        contentEncryptionAlgorithms: ["A256GCM"],
      });
      const claims = readSessionClaims(payload);
      if (claims === null || typeof payload.exp !== "number") return null;
      return { claims, exp: payload.exp };
    } catch {
      return null;
    }
  };
}
