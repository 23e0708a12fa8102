import { endedSessionStoreFor, loadRefreshConfig } from "next-token-bff/refresh";
import { type Bff, createBff, loadBffConfig } from "next-token-bff/server";

let instance: Bff | undefined;

/**
 * The app's BFF, built on first use rather than at import: `next build` imports every route
 * without the runtime environment. Configuration problems surface at start
 * (`instrumentation.ts`).
 */
export function getBff(): Bff {
  // The ended-session list is in Redis when REDIS_URL is set (several web instances).
  instance ??= createBff({
    config: loadBffConfig(process.env),
    endedSessions: endedSessionStoreFor(loadRefreshConfig(process.env)),
  });
  return instance;
}
