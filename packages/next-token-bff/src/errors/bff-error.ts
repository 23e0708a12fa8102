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

export const bffErrorCodes: readonly BffErrorCode[] = [
  "invalid_credentials",
  "too_many_attempts",
  "upstream_unavailable",
  "misconfigured",
  "session_expired",
];

export interface BffErrorOptions {
  /** Seconds until a retry may succeed (from the upstream's `Retry-After`). */
  retryAfterSeconds?: number;
  cause?: unknown;
}

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

export function isBffErrorCode(value: unknown): value is BffErrorCode {
  return typeof value === "string" && (bffErrorCodes as readonly string[]).includes(value);
}
