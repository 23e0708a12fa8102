import { processSingleton } from "../runtime/process-singleton.js";

/**
 * Proxied requests each session has in flight in this process (catalogue B10). A cap keeps one
 * signed-in browser from taking the upstream pool, or this process's memory, with many slow
 * requests. A request over the cap waits a moment for a slot (a burst of quick reads, a refresh
 * storm, goes through), then the route answers 429 `too_many_requests`. One count per process,
 * shared by `proxy.ts` and the route handlers (Next loads them as separate module layers).
 */
export interface SessionConcurrency {
  /**
   * Takes a slot, waiting up to `waitMs` for one when the session has `max` in flight; resolves
   * to its release (idempotent), or to `undefined` when none came free in time. At most
   * `8 × max` requests of a session wait; more are refused at once.
   */
  acquire(sessionId: string, max: number, waitMs: number): Promise<(() => void) | undefined>;
}

interface Slots {
  active: number;
  /** Waiting requests, first come first served; called with `true` when handed a slot. */
  waiting: Array<(granted: boolean) => void>;
}

export function sessionConcurrency(): SessionConcurrency {
  const sessions = processSingleton("upstream-session-requests", () => new Map<string, Slots>());

  function releaserFor(sessionId: string, slots: Slots): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = slots.waiting.shift();
      if (next !== undefined) {
        next(true); // the slot passes on: `active` stays
        return;
      }
      slots.active -= 1;
      if (slots.active <= 0) sessions.delete(sessionId);
    };
  }

  return {
    acquire(sessionId, max, waitMs) {
      let slots = sessions.get(sessionId);
      if (slots === undefined) {
        slots = { active: 0, waiting: [] };
        sessions.set(sessionId, slots);
      }
      const own = slots;
      if (own.active < max) {
        own.active += 1;
        return Promise.resolve(releaserFor(sessionId, own));
      }
      if (waitMs <= 0 || own.waiting.length >= 8 * max) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        const waiter = (granted: boolean) => {
          clearTimeout(timer);
          resolve(granted ? releaserFor(sessionId, own) : undefined);
        };
        const timer = setTimeout(() => {
          const index = own.waiting.indexOf(waiter);
          if (index >= 0) own.waiting.splice(index, 1);
          waiter(false);
        }, waitMs);
        own.waiting.push(waiter);
      });
    },
  };
}
