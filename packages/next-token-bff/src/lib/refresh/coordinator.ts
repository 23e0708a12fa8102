import type { UpstreamTokens } from "../providers/types.js";

/**
 * What one upstream refresh came to. `expired`: the upstream refused the refresh token
 * (`invalid_grant`, or simple_oauth 5.x's 401 `invalid_request`): the session is over.
 * `unavailable`: the token endpoint could not be reached or answered 5xx: keep the session and
 * try again on a later request.
 */
export type RefreshOutcome =
  | {
      ok: true;
      tokens: UpstreamTokens;
      /** When the upstream answered, epoch ms: the same for every request sharing the outcome. */
      issuedAt?: number;
    }
  | { ok: false; reason: "expired" | "unavailable" };

/**
 * How a request got its outcome: `leader` made the upstream call, `joined` waited for a
 * refresh in flight (in this process or, with Redis, on another instance), `adopted` found the
 * stored result of a refresh that had already finished (it carried the old cookie).
 */
export type RefreshRole = "leader" | "joined" | "adopted";

/** A single-flight result: the outcome and whether this caller led, joined or adopted it. */
export interface CoordinatedRefresh {
  /** The refresh's result, shared by every caller of the same key. */
  outcome: RefreshOutcome;
  /** Whether this caller led, joined or adopted the refresh. */
  role: RefreshRole;
}

/**
 * Single-flight for refreshes, keyed by a hash of the refresh token being spent: every caller
 * with the same key shares one upstream call, and for a grace window after it (default 30 s)
 * callers get its stored result instead of replaying a rotated token.
 */
export interface RefreshCoordinator {
  /** Where single-flight state lives: this process or Redis. */
  readonly kind: "memory" | "redis";
  /** Runs `refresh` once per `key` across callers, and returns its shared result. */
  run(key: string, refresh: () => Promise<RefreshOutcome>): Promise<CoordinatedRefresh>;
}

export const unavailableOutcome: RefreshOutcome = { ok: false, reason: "unavailable" };

/** How long an outcome is kept: failures of the token endpoint only briefly, so the next request retries. */
export function keepOutcomeMs(
  outcome: RefreshOutcome,
  graceMs: number,
  failureRetryMs: number,
): number {
  return !outcome.ok && outcome.reason === "unavailable" ? failureRetryMs : graceMs;
}
