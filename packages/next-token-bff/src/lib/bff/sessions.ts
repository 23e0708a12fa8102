import {
  type RenderSessionState,
  readRenderSession,
  requireFreshSession,
} from "../refresh/render.js";
import { type ActiveSession, readRequestSession, requireSession } from "../session/next-session.js";
import { bearerHeader } from "../providers/bearer.js";
import type { SessionReadResult } from "../session/session-reader.js";
import { type ServerUpstreamClient, createServerUpstream } from "../upstream/server-client.js";
import type { UpstreamProxyOptions } from "../upstream/upstream-options.js";
import type { BffCore } from "./bff.js";

/** The session and the upstream as pages, server actions and route handlers read them. */
export interface BffSessions {
  /** The session of the page being rendered; never refreshes (a render cannot set cookies). */
  getSession(): Promise<RenderSessionState>;
  /** For protected pages: the live session, or a redirect to sign in and back to `callbackPath`. */
  requireSession(callbackPath: string): Promise<ActiveSession>;
  /** For pages that call the upstream: also a redirect through the refresh route when the token has expired. */
  requireFreshSession(callbackPath: string): Promise<ActiveSession>;
  /** For route handlers: the session behind a `Request`. */
  readRequestSession(request: Request): Promise<SessionReadResult>;
  /**
   * The upstream for server components and actions, with the session's token (refreshed through
   * the refresh route when due, never stored anywhere else). `callbackPath` is the page: where
   * a refresh or a new sign-in comes back to.
   */
  /**
   * For next-drupal's `NextDrupal` (or any client that takes an `Authorization` value per call):
   * `Bearer <access token>` of the current session, for one call
   * (`drupal.getResourceCollection(type, { withAuth: await bff.withAuth(path) })`). An expired
   * token goes through the refresh route first; the value is never stored on the shared client.
   */
  withAuth(callbackPath: string): Promise<string>;
  upstream(
    callbackPath: string,
    options?: { timeoutMs?: number; maxResponseBytes?: number },
  ): Promise<ServerUpstreamClient>;
}

export function createBffSessions(deps: {
  getCore: () => BffCore;
  upstreamOptions: Pick<UpstreamProxyOptions, "allowedPathPrefixes" | "pool"> | undefined;
  loginPath: string;
  refreshPath: string;
}): BffSessions {
  const { getCore, loginPath, refreshPath } = deps;
  return {
    getSession: () => readRenderSession(getCore),
    requireSession: (callbackPath) => requireSession(getCore, callbackPath, loginPath),
    requireFreshSession: (callbackPath) =>
      requireFreshSession(getCore, callbackPath, { loginPath, refreshPath }),
    readRequestSession: (request) => readRequestSession(getCore(), request),
    withAuth: async (callbackPath) => {
      const { claims } = await requireFreshSession(getCore, callbackPath, {
        loginPath,
        refreshPath,
      });
      return bearerHeader(claims.accessToken);
    },
    upstream: (callbackPath, options) =>
      createServerUpstream({
        ...options,
        getBff: getCore,
        callbackPath,
        loginPath,
        refreshPath,
        ...(deps.upstreamOptions?.allowedPathPrefixes
          ? { allowedPathPrefixes: deps.upstreamOptions.allowedPathPrefixes }
          : {}),
        ...(deps.upstreamOptions?.pool ? { pool: deps.upstreamOptions.pool } : {}),
      }),
  };
}
