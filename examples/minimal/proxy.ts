import { createAuthProxy } from "next-token-bff/proxy";
import { createSessionRefreshProxy } from "next-token-bff/refresh";
import type { NextRequest } from "next/server";
import { getBff, getRefresher } from "./lib/bff";

const authProxy = createAuthProxy({ getBff, protectedPaths: ["/articles"] });

/** Refreshes due access tokens, then sends signed-out visitors of /articles to /login. */
export function proxy(request: NextRequest) {
  return createSessionRefreshProxy({ getBff, refresher: getRefresher(), next: authProxy })(request);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|api/).*)", "/api/auth/session"],
};
