import { type NextRequest, NextResponse } from "next/server";
import { createAuthProxy } from "next-token-bff/proxy";
import { createSessionRefreshProxy } from "next-token-bff/refresh";
import { getBff } from "./lib/bff";
import { getRefresher } from "./lib/refresh";
import { withContentSecurityPolicy } from "./lib/security-headers";
import { upstreamReadInProxy, upstreamRoute } from "./lib/upstream-route";

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
  // Reads of /api/upstream: answered here by the upstream route's own handler (issue 7).
  if (upstreamReadInProxy(request)) return upstreamRoute().handle(request);
  if (request.nextUrl.pathname.startsWith("/api/upstream/")) return NextResponse.next();
  // First the token refresh (due access tokens; the render gets the new cookie too), then auth,
  // handed the session the refresh read: the cookie is decrypted and checked once (issue 7).
  refreshingProxy ??= createSessionRefreshProxy({
    getBff,
    refresher: getRefresher(),
    next: authProxy.withSession,
  });
  const chain = refreshingProxy;
  return withContentSecurityPolicy(request, (withNonce) => chain(withNonce));
}

export const config = {
  // `/api/auth/session` is refreshed too: next-auth writes its cookie back there.
  matcher: [
    "/((?!_next/static|_next/image|favicon.ico|icon.svg|api/).*)",
    "/api/auth/session",
    // Upstream reads (see above). Requests with a body stay out: Next copies and cuts those.
    {
      source: "/api/upstream/:path*",
      missing: [
        { type: "header", key: "content-length" },
        { type: "header", key: "transfer-encoding" },
      ],
    },
  ],
};
