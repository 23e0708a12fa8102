import { randomUUID } from "node:crypto";
import { EncryptJWT } from "jose";
import { sessionEncryptionKey } from "./session-decoder.js";

/** Encrypts session claims into a cookie value valid for `maxAgeSeconds`. */
export type SessionEncoder = (claims: object, maxAgeSeconds: number) => Promise<string>;

/**
 * Writes the session cookie the way `next-auth/jwt` `encode` does (JWE `dir` + `A256GCM`,
 * `iat`, `exp`, a random `jti`), with the key derived and imported once per secret, so the
 * refresh and the activity record need no next-auth.
 */
export function createSessionEncoder(secret: string): SessionEncoder {
  const key = sessionEncryptionKey(secret, "encrypt");
  return async function encodeSession(claims, maxAgeSeconds) {
    const now = Math.floor(Date.now() / 1000);
    return new EncryptJWT({ ...claims })
      .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
      .setIssuedAt(now)
      .setExpirationTime(now + maxAgeSeconds)
      .setJti(randomUUID())
      .encrypt(await key);
  };
}
