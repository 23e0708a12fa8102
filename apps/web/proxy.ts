import { bff } from "./lib/bff";

/**
 * Refreshes due access tokens, sends signed-out visitors of protected pages to /login, records
 * activity for the idle timeout and answers upstream reads. Not a guard: every protected page
 * and route handler checks the session itself.
 */
export const proxy = bff.proxy;

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
