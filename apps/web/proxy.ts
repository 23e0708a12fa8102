import type { NextRequest } from "next/server";
import { createAuthProxy } from "next-token-bff/proxy";
import { createSessionRefreshProxy } from "next-token-bff/refresh";
import { getBff } from "./lib/bff";
import { getRefresher } from "./lib/refresh";
import { withContentSecurityPolicy } from "./lib/security-headers";

const authProxy = createAuthProxy({
  getBff,
  protectedPaths: ["/account", "/connection", "/articles"],
});
let refreshingProxy: ReturnType<typeof createSessionRefreshProxy> | undefined;

/**
 * Redirects signed-out page requests to /login and records activity for the idle timeout.
 * Not a guard: every protected page and route handler checks the session itself. Pages get a
 * Content-Security-Policy with a fresh nonce (lib/security-headers.ts).
 */
export async function proxy(request: NextRequest) {
  // First the token refresh (due access tokens; the render gets the new cookie too), then auth.
  refreshingProxy ??= createSessionRefreshProxy({
    getBff,
    refresher: getRefresher(),
    next: authProxy,
  });
  const chain = refreshingProxy;
  return withContentSecurityPolicy(request, (withNonce) => chain(withNonce));
}

export const config = {
  // `/api/auth/session` is refreshed too: next-auth writes its cookie back there.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/).*)", "/api/auth/session"],
};
