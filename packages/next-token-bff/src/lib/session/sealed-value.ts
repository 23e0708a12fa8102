import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/** Seals JSON values with AES-256-GCM under a key derived from the app's secret. */
export interface Sealer {
  /** `value` as JSON, encrypted and bound to `context` (associated data). */
  seal(context: string, value: unknown): string;
  /** The JSON value, or null when `sealed` was not sealed with this secret for this context. */
  open(context: string, sealed: string): unknown;
}

/**
 * Stored session state that holds live tokens (refresh outcomes, the newest generation of a
 * session) is encrypted: a key derived from NEXTAUTH_SECRET with HKDF per `purpose`, and each
 * value bound to its context (e.g. its key), so a value copied elsewhere does not open.
 */
export function createSealer(secret: string, purpose: string): Sealer {
  const key = Buffer.from(hkdfSync("sha256", secret, "", purpose, 32));
  return {
    seal(context, value) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
    },
    open(context, sealed) {
      try {
        const raw = Buffer.from(sealed, "base64url");
        const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
        decipher.setAAD(Buffer.from(context));
        decipher.setAuthTag(raw.subarray(12, 28));
        const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
        return JSON.parse(text.toString("utf8")) as unknown;
      } catch {
        return null;
      }
    },
  };
}
