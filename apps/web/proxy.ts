import type { NextRequest } from "next/server";
import { createAuthProxy } from "next-token-bff/proxy";
import { getBff } from "./lib/bff";

const authProxy = createAuthProxy({ getBff, protectedPaths: ["/account"] });

/**
 * Redirects signed-out page requests to /login and records activity for the idle timeout.
 * Not a guard: every protected page and route handler checks the session itself.
 */
export async function proxy(request: NextRequest) {
  return authProxy(request);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/).*)"],
};
