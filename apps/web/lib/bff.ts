import { createBff } from "next-token-bff";
import { logger } from "./logger";
import { withContentSecurityPolicy } from "./security-headers";

/**
 * The app's BFF, configured from the environment on first use (`next build` needs none):
 * sign-in against the upstream, token refresh (single-flight, through Redis with REDIS_URL),
 * the upstream proxy and the session checks. Configuration problems surface at start
 * (`instrumentation.ts`).
 */
export const bff = createBff({
  protectedPaths: ["/account", "/connection", "/articles"],
  // Pages get a Content-Security-Policy with a fresh nonce (lib/security-headers.ts).
  aroundPages: withContentSecurityPolicy,
  // UPSTREAM_IN_PROXY=0 serves every upstream request from the route handler (the bench compares).
  upstreamInProxy: process.env.UPSTREAM_IN_PROXY !== "0",
  logger,
});
