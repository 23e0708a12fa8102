import { redirect } from "next/navigation";
import { type ActiveSession, getServerSessionState } from "../session/next-session.js";
import type { SessionContext } from "../session/session-context.js";
import { loginPathFor, safeCallbackPath } from "../redirect/callback-url.js";
import { accessTokenDue } from "../session/token-due.js";

/** The session as a server component sees it (renders never refresh). */
export type RenderSessionState =
  | ({ status: "active" } & ActiveSession)
  /** Signed in, but the access token has expired and `proxy.ts` did not refresh it. */
  | { status: "expired_token" }
  | { status: "none" | "invalid" | "expired" | "ended" };

/**
 * The session for server components, which never refresh (cookies set during a render are
 * dropped). An access token past its expiry is reported as `expired_token` instead of being
 * handed out: calling the upstream with it would only earn a 401.
 */
export async function readRenderSession(
  getBff: () => SessionContext,
  now = Date.now(),
): Promise<RenderSessionState> {
  const state = await getServerSessionState(getBff);
  if (state.status !== "active") return { status: state.status };
  if (accessTokenDue(state.claims, 0, now)) return { status: "expired_token" };
  return { status: "active", claims: state.claims, session: state.session };
}

/** Where to send the browser for a refresh that comes back to `callbackPath`. */
export function refreshPathFor(callbackPath: string, refreshPath = "/api/session/refresh"): string {
  return `${refreshPath}?callbackUrl=${encodeURIComponent(safeCallbackPath(callbackPath))}`;
}

/**
 * For pages that call the upstream while rendering: the live session with a usable access
 * token; a redirect through the refresh route when the token has expired (or `tokenRefused`
 * says the upstream refused it); the sign-in page without a session.
 */
export async function requireFreshSession(
  getBff: () => SessionContext,
  callbackPath: string,
  options: { refreshPath?: string; loginPath?: string } = {},
): Promise<ActiveSession> {
  const state = await readRenderSession(getBff);
  if (state.status === "expired_token") redirect(refreshPathFor(callbackPath, options.refreshPath));
  if (state.status !== "active") redirect(loginPathFor(callbackPath, options.loginPath));
  return { claims: state.claims, session: state.session };
}
