import { bff } from "./lib/bff";

/** Refreshes due access tokens; sends signed-out visitors of /articles to /login. */
export const proxy = bff.proxy;
export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|api/).*)", "/api/auth/session"],
};
