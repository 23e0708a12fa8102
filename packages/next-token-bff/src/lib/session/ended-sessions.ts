import { processSingleton } from "../runtime/process-singleton.js";
/**
 * Sessions that were signed out, kept until their cookies would have expired anyway, so a copy
 * of an old cookie gets nothing (catalogue A9). The interface is async so that a shared store
 * (Redis, for several web instances) can implement it.
 */
export interface EndedSessionStore {
  /** Ends one session; `keepUntil` (epoch seconds) is when its cookie would have expired. */
  endSession(sessionId: string, keepUntil: number): Promise<void>;
  /** Ends every session of `sub` that began at or before `endedAt` (epoch seconds). */
  endUserSessions(sub: string, endedAt: number, keepUntil: number): Promise<void>;
  /** Whether this session was ended, by itself or by its user's sign-out everywhere. */
  isEnded(session: { sessionId: string; sub: string; authTime: number }): Promise<boolean>;
}

interface MemoryState {
  sessions: Map<string, number>;
  users: Map<string, { endedAt: number; keepUntil: number }>;
}

/**
 * The default store: one process, kept on `globalThis` because Next loads a module once per
 * layer (proxy, pages, route handlers) and they must all see the same list.
 */
export function memoryEndedSessionStore(
  now: () => number = () => Date.now() / 1000,
): EndedSessionStore {
  const state = processSingleton<MemoryState>("ended-sessions", () => ({
    sessions: new Map(),
    users: new Map(),
  }));

  function prune(): void {
    const current = now();
    for (const [id, until] of state.sessions) if (until <= current) state.sessions.delete(id);
    for (const [sub, entry] of state.users) if (entry.keepUntil <= current) state.users.delete(sub);
  }

  return {
    endSession(sessionId, keepUntil) {
      prune();
      state.sessions.set(sessionId, Math.max(keepUntil, state.sessions.get(sessionId) ?? 0));
      return Promise.resolve();
    },
    endUserSessions(sub, endedAt, keepUntil) {
      prune();
      const previous = state.users.get(sub);
      state.users.set(sub, {
        endedAt: Math.max(endedAt, previous?.endedAt ?? 0),
        keepUntil: Math.max(keepUntil, previous?.keepUntil ?? 0),
      });
      return Promise.resolve();
    },
    isEnded({ sessionId, sub, authTime }) {
      const current = now();
      const until = state.sessions.get(sessionId);
      if (until !== undefined && until > current) return Promise.resolve(true);
      const user = state.users.get(sub);
      return Promise.resolve(
        user !== undefined && user.keepUntil > current && authTime <= user.endedAt,
      );
    },
  };
}
