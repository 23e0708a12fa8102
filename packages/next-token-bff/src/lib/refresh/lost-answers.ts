import { processSingleton } from "../runtime/process-singleton.js";

/** Error codes of a request that may have reached the upstream before its answer was lost. */
const answerLost = new Set([
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_ABORTED",
  "ECONNRESET",
  "EPIPE",
]);

/**
 * Whether a failed token request may have been processed upstream: it timed out or lost its
 * connection after it was sent (not a refused connection, not an HTTP answer). Its outcome is
 * unknown: the upstream may have rotated the refresh token, and the retry with the same token
 * is then answered by the upstream's reuse interval, or refused.
 */
export function outcomeUnknown(error: unknown): boolean {
  for (let cause = error, depth = 0; cause !== undefined && depth < 5; depth += 1) {
    if (typeof cause !== "object" || cause === null) return false;
    const { code } = cause as { code?: unknown };
    if (typeof code === "string" && answerLost.has(code)) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

const keepMs = 60 * 60 * 1000;

/** Refresh keys (hashes of refresh tokens) whose last refresh lost its answer, in this process. */
export function lostRefreshAnswers() {
  const lost = processSingleton("lost-refresh-answers", () => new Map<string, number>());
  return {
    remember(refreshKey: string): void {
      const now = Date.now();
      for (const [key, at] of lost) if (at + keepMs <= now) lost.delete(key);
      lost.set(refreshKey, now);
    },
    /** Whether the answer of `refreshKey`'s last refresh was lost; forgets it. */
    take(refreshKey: string): boolean {
      return lost.delete(refreshKey);
    },
  };
}
