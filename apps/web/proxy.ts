import { bff } from "./lib/bff";

/**
 * Refreshes due access tokens, sends signed-out visitors of protected pages to /login, records
 * activity for the idle timeout and answers upstream requests. Not a guard: every protected page
 * and route handler checks the session itself.
 */
export const proxy = bff.proxy;

export const config = {
  // `/api/auth/session` is refreshed too: next-auth writes its cookie back there.
  matcher: [
    "/((?!_next/static|_next/image|favicon.ico|icon.svg|api/).*)",
    "/api/auth/session",
    // Upstream requests without a body (reads, DELETE). Requests with a body stay out: Next
    // holds a proxy.ts answer until the whole body has arrived, so a slow upload would get
    // its 408 only when it ends; the route handler answers it at the deadline.
    {
      source: "/api/upstream/:path*",
      missing: [
        { type: "header", key: "content-length" },
        { type: "header", key: "transfer-encoding" },
      ],
    },
  ],
};
