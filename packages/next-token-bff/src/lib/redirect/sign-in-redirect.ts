import { type NextRequest, NextResponse } from "next/server";
import { loginPathFor, redirectTarget } from "./callback-url.js";

/**
 * `proxy.ts`'s answer that sends a page request to the sign-in page, coming back to the same
 * path and query afterwards; never cached.
 */
export function signInRedirect(request: NextRequest, loginPath: string, appUrl: string) {
  const { pathname, search } = request.nextUrl;
  const response = NextResponse.redirect(
    redirectTarget(loginPathFor(`${pathname}${search}`, loginPath), appUrl),
  );
  response.headers.set("cache-control", "no-store");
  return response;
}
