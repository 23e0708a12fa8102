import type { UpstreamTokens } from "../providers/types.js";
import { processSingleton } from "../runtime/process-singleton.js";

/**
 * Every refresh makes a new generation of a session; the cookie carries its generation. This
 * store keeps the newest generation of each live session, so that a request carrying an older
 * cookie (a lost `Set-Cookie`, a late request, a restored tab) adopts the newest tokens instead
 * of spending a refresh token that was already rotated.
 */
export interface NewestGeneration {
  generation: number;
  /** Null when only the number is known (e.g. read back from the session file after a restart). */
  tokens: UpstreamTokens | null;
}

export interface SessionGenerations {
  /** The newest generation known for `sessionId`, or null when the session is unknown here. */
  newest(sessionId: string): Promise<NewestGeneration | null>;
  /**
   * Records generation `generation` of `sessionId` with its tokens, if it is newer than the one
   * stored; kept until `keepUntilMs` (epoch ms: when its refresh token expires).
   */
  record(
    sessionId: string,
    generation: number,
    tokens: UpstreamTokens,
    keepUntilMs: number,
  ): Promise<void>;
  /**
   * The newest generation if it is newer than `generation`, else null, possibly from a mirror
   * a few milliseconds behind the shared store: for reads that only adopt newer tokens, never
   * for a refresh. Without it, `newest` answers (see {@link newerGeneration}).
   */
  newerThan?(sessionId: string, generation: number): Promise<NewestGeneration | null>;
}

/** The newest generation of `sessionId` when newer than `generation` (a read that adopts). */
export async function newerGeneration(
  store: SessionGenerations,
  sessionId: string,
  generation: number,
): Promise<NewestGeneration | null> {
  if (store.newerThan !== undefined) return store.newerThan(sessionId, generation);
  const newest = await store.newest(sessionId);
  return newest !== null && newest.generation > generation ? newest : null;
}

export interface MemoryGenerationsOptions {
  /** Most sessions kept; the least recently used go first. Default: 100,000. */
  maxEntries?: number;
  /** The clock, epoch ms. Default: `Date.now`. */
  now?: () => number;
}

interface Entry extends NewestGeneration {
  keepUntilMs: number;
}

/**
 * The newest generations in this process: an LRU map, shared by Next's layers (proxy, pages,
 * route handlers). Enough for one instance; several share Redis instead.
 */
export function memorySessionGenerations(
  options: MemoryGenerationsOptions = {},
): SessionGenerations {
  const maxEntries = options.maxEntries ?? 100_000;
  const now = options.now ?? Date.now;
  const entries = processSingleton("session-generations", () => new Map<string, Entry>());

  return {
    newest(sessionId) {
      const entry = entries.get(sessionId);
      if (entry === undefined) return Promise.resolve(null);
      if (entry.keepUntilMs <= now()) {
        entries.delete(sessionId);
        return Promise.resolve(null);
      }
      // Most recently used last: Map keeps insertion order.
      entries.delete(sessionId);
      entries.set(sessionId, entry);
      return Promise.resolve({ generation: entry.generation, tokens: entry.tokens });
    },
    record(sessionId, generation, tokens, keepUntilMs) {
      const current = entries.get(sessionId);
      if (current !== undefined && current.generation >= generation) return Promise.resolve();
      entries.delete(sessionId);
      entries.set(sessionId, { generation, tokens, keepUntilMs });
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        entries.delete(oldest.value);
      }
      return Promise.resolve();
    },
  };
}
