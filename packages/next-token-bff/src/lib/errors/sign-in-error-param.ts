import { type BffErrorCode, isBffErrorCode } from "./bff-error.js";

/**
 * next-auth carries an `authorize()` failure to the browser as the error message only
 * (`?error=<message>` or `signIn()`'s `error`). We put the stable code there, plus the retry
 * time for `too_many_attempts`: `too_many_attempts:120`.
 */
export function formatSignInErrorParam(code: BffErrorCode, retryAfterSeconds?: number): string {
  return retryAfterSeconds === undefined ? code : `${code}:${Math.ceil(retryAfterSeconds)}`;
}

/** A sign-in failure as it travels in next-auth's `?error=` parameter (`code` or `code:seconds`). */
export interface SignInErrorParam {
  /** The stable error code. */
  code: BffErrorCode;
  /** Seconds to wait before trying again, when known (e.g. `too_many_attempts`). */
  retryAfterSeconds?: number;
}

/** Reads the value back; anything else (next-auth's own codes such as `CredentialsSignin`, tampering) gives null. */
export function parseSignInErrorParam(value: string | null | undefined): SignInErrorParam | null {
  if (!value) return null;
  const [code, seconds] = value.split(":", 2);
  if (!isBffErrorCode(code)) return null;
  const retryAfterSeconds = seconds === undefined ? undefined : Number.parseInt(seconds, 10);
  return retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds)
    ? { code, retryAfterSeconds }
    : { code };
}
