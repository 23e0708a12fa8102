import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { loginPathFor } from "../redirect/callback-url.js";
import type { SessionClaims } from "./claims.js";
import { parseCookieHeader } from "./cookie-header.js";
import type { PublicSession } from "./public-session.js";
import type { SessionReadResult } from "./session-reader.js";
import type { SessionContext } from "./session-context.js";

/** A live session: the server-only claims and the display-only public session. */
export interface ActiveSession {
  /** Server-only: tokens, times and display fields. */
  claims: SessionClaims;
  /** What may be shown to the browser. */
  session: PublicSession;
}

/**
 * The session of the request being rendered (server components, server actions). Read-only:
 * it never refreshes, because cookies set during a render are dropped. Takes a getter: reading
 * `cookies()` first marks the render dynamic, so `next build` never builds the BFF (which
 * needs the runtime environment).
 */
export function getServerSessionState(getBff: () => SessionContext): Promise<SessionReadResult> {
  return readRenderSessionOnce(getBff);
}

/**
 * One read per render: the root layout, a protected layout, the page and the server upstream
 * client all ask, and React's per-request `cache` lets them share one decrypt and one
 * ended-list check (a Redis round trip with `REDIS_URL`). Keyed by the `getBff` function, not
 * the SessionContext, so `cookies()` still comes before the BFF is built.
 */
const readRenderSessionOnce = cache(
  async (getBff: () => SessionContext): Promise<SessionReadResult> => {
    const store = await cookies();
    return getBff().readSession(store.getAll());
  },
);

/**
 * For protected pages and layouts: the live session, or a redirect to the sign-in page that
 * brings the person back to `callbackPath`. Call it in every protected page: `proxy.ts` is a
 * convenience, not a guard.
 */
export async function requireSession(
  getBff: () => SessionContext,
  callbackPath: string,
  loginPath = "/login",
): Promise<ActiveSession> {
  const state = await getServerSessionState(getBff);
  if (state.status !== "active") redirect(loginPathFor(callbackPath, loginPath));
  return { claims: state.claims, session: state.session };
}

/** For route handlers: the session behind a `Request`, from its `Cookie` header. */
export function readRequestSession(
  bff: SessionContext,
  request: Request,
): Promise<SessionReadResult> {
  return bff.readSession(parseCookieHeader(request.headers.get("cookie")));
}
