/**
 * Stable codes for everything that can go wrong between a person, this server and the upstream:
 * one vocabulary for sign-in errors, the upstream proxy's wire answers (`{"error": code}`) and
 * the library's own failures. The code is the contract (logs, URLs, UI); messages are for people
 * and live in `messages.ts`.
 */
export const bffErrorCodes = [
  // Sign-in, and the end of a session (also the wire code of a refused cookie).
  "invalid_credentials",
  "too_many_attempts",
  "upstream_unavailable",
  "misconfigured",
  "session_expired",
  // The upstream knew the person but refused the account (blocked, disabled).
  "account_disabled",
  // The upstream proxy's own answers.
  "bad_path",
  "path_not_allowed",
  "bad_request",
  "csrf",
  "not_signed_in",
  "method_not_allowed",
  "body_too_large",
  "request_timeout",
  "too_many_requests",
  "unsupported_media_type",
  "upstream_unreachable",
  "refresh_unavailable",
  "upstream_timeout",
  "upstream_redirect",
  "upstream_content_type",
  // Redis could not answer; the caller falls back to this process.
  "redis_unavailable",
] as const;

/** One of {@link bffErrorCodes}. */
export type BffErrorCode = (typeof bffErrorCodes)[number];

/** Options of the {@link BffError} constructor. */
export interface BffErrorOptions {
  /** Seconds until a retry may succeed (from the upstream's `Retry-After`). Default: none. */
  retryAfterSeconds?: number;
  /** The lower-level error this one stands for. Default: none. */
  cause?: unknown;
}

/**
 * The library's one error class: a stable `code` (switch on it), a detail message for logs (not
 * for people: use `describeError(code)`), and `retryAfterSeconds` for `too_many_attempts`.
 */
export class BffError extends Error {
  override name = "BffError";
  readonly code: BffErrorCode;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: BffErrorCode, detail: string, options: BffErrorOptions = {}) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** True when `value` is one of {@link bffErrorCodes} (e.g. read back from a URL parameter). */
export function isBffErrorCode(value: unknown): value is BffErrorCode {
  return typeof value === "string" && (bffErrorCodes as readonly string[]).includes(value);
}

/** True when `error` is a {@link BffError} with `code`. */
export function isBffError(error: unknown, code: BffErrorCode): error is BffError {
  return error instanceof BffError && error.code === code;
}
