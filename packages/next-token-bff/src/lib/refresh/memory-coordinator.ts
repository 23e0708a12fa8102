import {
  type CoordinatedRefresh,
  type RefreshCoordinator,
  type RefreshOutcome,
  keepOutcomeMs,
  unavailableOutcome,
} from "./coordinator.js";
import { createOutcomeSealer } from "./sealed-outcome.js";
import { processSingleton } from "../runtime/process-singleton.js";

/** Options of {@link createMemoryRefreshCoordinator}. */
export interface MemoryCoordinatorOptions {
  /** NEXTAUTH_SECRET: stored outcomes are encrypted with a key derived from it. Required. */
  secret: string;
  /** How long a finished refresh is kept for late requests with the old cookie. Default 30 s. */
  graceMs?: number;
  /** How long a failure to reach the token endpoint is kept. Default 1 s. */
  failureRetryMs?: number;
  /** The clock (tests). Default: `Date.now`. */
  now?: () => number;
}

interface MemoryState {
  inflight: Map<string, Promise<RefreshOutcome>>;
  results: Map<string, { until: number; sealed: string }>;
}

/**
 * Single-flight in one process. The maps live on `globalThis` (refresh-in-proxy.md §4): Next
 * loads a module once per layer, and `proxy.ts`, pages and route handlers must all share them.
 * A failed refresh is kept too (briefly when the token endpoint was down), so a refused or
 * rotated token is never sent twice by this process.
 */
export function createMemoryRefreshCoordinator(
  options: MemoryCoordinatorOptions,
): RefreshCoordinator {
  const graceMs = options.graceMs ?? 30_000;
  const failureRetryMs = options.failureRetryMs ?? 1_000;
  const now = options.now ?? Date.now;
  const sealer = createOutcomeSealer(options.secret);
  const state = processSingleton<MemoryState>("refresh-single-flight", () => ({
    inflight: new Map(),
    results: new Map(),
  }));

  function prune(current: number): void {
    for (const [key, entry] of state.results) {
      if (entry.until <= current) state.results.delete(key);
    }
  }

  return {
    kind: "memory",
    async run(key, refresh): Promise<CoordinatedRefresh> {
      const current = now();
      const stored = state.results.get(key);
      if (stored !== undefined && stored.until > current) {
        const outcome = sealer.open(key, stored.sealed);
        if (outcome !== null) return { outcome, role: "adopted" };
      }
      const running = state.inflight.get(key);
      if (running !== undefined) return { outcome: await running, role: "joined" };

      prune(current);
      const flight = (async () => {
        let outcome: RefreshOutcome;
        try {
          outcome = await refresh();
        } catch {
          outcome = unavailableOutcome;
        }
        // Stored before the in-flight entry goes, so there is no moment with neither.
        state.results.set(key, {
          until: now() + keepOutcomeMs(outcome, graceMs, failureRetryMs),
          sealed: sealer.seal(key, outcome),
        });
        state.inflight.delete(key);
        return outcome;
      })();
      state.inflight.set(key, flight);
      return { outcome: await flight, role: "leader" };
    },
  };
}
