import { endedSessionStoreFor, loadRefreshConfig, redisConnection } from "next-token-bff/refresh";
import { type Bff, createBff, createSignInLimiter, loadBffConfig } from "next-token-bff/server";

let instance: Bff | undefined;

/**
 * The app's BFF, built on first use rather than at import: `next build` imports every route
 * without the runtime environment. Configuration problems surface at start
 * (`instrumentation.ts`).
 */
export function getBff(): Bff {
  if (instance) return instance;
  const config = loadBffConfig(process.env);
  const shared = loadRefreshConfig(process.env);
  // With REDIS_URL (several web instances) the ended-session list and the sign-in counters
  // live in Redis; otherwise in this process.
  const redis =
    shared.redisUrl === undefined
      ? undefined
      : redisConnection({ url: shared.redisUrl, prefix: shared.redisKeyPrefix });
  instance = createBff({
    config,
    endedSessions: endedSessionStoreFor(shared),
    signInLimiter: createSignInLimiter({ limits: config.signInLimits, redis }),
  });
  return instance;
}
