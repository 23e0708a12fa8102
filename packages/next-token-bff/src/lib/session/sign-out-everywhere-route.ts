import type { SessionContext } from "./session-context.js";
import { readRequestSession } from "./next-session.js";

const noStore = { "cache-control": "no-store" };

/**
 * `POST` handler that ends every session of the signed-in person. It demands `X-CSRF: 1` (a
 * header a cross-site form cannot send) and a same-origin `Origin` when the browser sends one.
 * The browser then calls next-auth's `signOut()` to clear its own cookie.
 */
export function createSignOutEverywhereHandler(getBff: () => SessionContext) {
  return async function POST(request: Request): Promise<Response> {
    const bff = getBff();
    const origin = request.headers.get("origin");
    if (
      request.headers.get("x-csrf") !== "1" ||
      (origin && origin !== new URL(bff.config.nextAuthUrl).origin)
    ) {
      return Response.json({ error: "csrf" }, { status: 403, headers: noStore });
    }
    const state = await readRequestSession(bff, request);
    if (state.status !== "active") {
      return Response.json({ error: "session_expired" }, { status: 401, headers: noStore });
    }
    try {
      const result = await bff.signOutEverywhere(state.claims);
      return Response.json(result, { headers: noStore });
    } catch {
      return Response.json({ error: "upstream_unavailable" }, { status: 502, headers: noStore });
    }
  };
}
