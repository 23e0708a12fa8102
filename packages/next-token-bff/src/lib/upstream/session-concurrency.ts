import { processSingleton } from "../runtime/process-singleton.js";

/**
 * Proxied requests each session has in flight in this process (catalogue B10). A cap keeps one
 * signed-in browser from taking the upstream pool, or this process's memory, with many slow
 * requests; beyond it the route answers 429 `too_many_requests`. One count per process, shared
 * by `proxy.ts` and the route handlers (Next loads them as separate module layers).
 */
export interface SessionConcurrency {
  /** Takes a slot: returns its release (idempotent), or `undefined` when the session is at `max`. */
  acquire(sessionId: string, max: number): (() => void) | undefined;
}

export function sessionConcurrency(): SessionConcurrency {
  const inFlight = processSingleton("upstream-session-requests", () => new Map<string, number>());
  return {
    acquire(sessionId, max) {
      const count = inFlight.get(sessionId) ?? 0;
      if (count >= max) return undefined;
      inFlight.set(sessionId, count + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (inFlight.get(sessionId) ?? 1) - 1;
        if (left > 0) inFlight.set(sessionId, left);
        else inFlight.delete(sessionId);
      };
    },
  };
}
