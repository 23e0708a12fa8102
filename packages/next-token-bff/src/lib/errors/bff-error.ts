/**
 * Stable codes for everything that can go wrong between a person, this server and the upstream.
 * The code is the contract (logs, URLs, UI); messages are for people and live in `messages.ts`.
 */
export type BffErrorCode =
  | "invalid_credentials"
  | "too_many_attempts"
  | "upstream_unavailable"
  | "misconfigured"
  | "session_expired";

/** Every {@link BffErrorCode}, for validation and exhaustive tests. */
export const bffErrorCodes: readonly BffErrorCode[] = [
  "invalid_credentials",
  "too_many_attempts",
  "upstream_unavailable",
  "misconfigured",
  "session_expired",
];

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
