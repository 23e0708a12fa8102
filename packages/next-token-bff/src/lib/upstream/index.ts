/**
 * `next-token-bff/upstream`: the proxy route browser code calls to reach the upstream API.
 *
 * Mount (`app/api/upstream/[...path]/route.ts`):
 *   const route = createUpstreamRoute({ getBff });
 *   export const { GET, HEAD, POST, PUT, PATCH, DELETE } = route;
 *   export const dynamic = "force-dynamic";
 *
 * Browser side: `fetch("/api/upstream/jsonapi/node/article", { headers: { "X-CSRF": "1" } })`.
 * Upstream answers (2xx–5xx, JSON or JSON:API) pass through as they are, 401 excepted. The
 * proxy's own answers are `{"error": code}`: 400 `bad_path`/`bad_request`, 401 `not_signed_in`
 * (no session: go to sign-in), 401 `session_expired` (the session ended; its cookie is cleared),
 * 403 `csrf`, 405, 413 `body_too_large`, 415 `unsupported_media_type`, 503 `refresh_unavailable` (the token
 * endpoint failed; the session is kept), 502
 * `upstream_unreachable`/`upstream_redirect`/`upstream_content_type`, 504 `upstream_timeout`.
 * JSON:API bodies keep the upstream's absolute `links` (e.g. `links.next`): map them to
 * `/api/upstream/<path>` in the browser.
 */
export { createUpstreamRoute, upstreamRouteMethods } from "./upstream-route.js";
export { answersInProxy } from "./proxy-fast-path.js";
export type {
  UpstreamRoute,
  UpstreamRouteContext,
  UpstreamRouteHandler,
  UpstreamRouteMethod,
  UpstreamRouteOptions,
} from "./upstream-route.js";
export type { RefreshHook, RefreshRequest, RefreshedSession } from "./refresh-hook.js";
export type { UpstreamRouteErrorCode } from "./errors.js";
export { defaultRequestHeaders } from "./request-headers.js";
export { defaultResponseContentTypes, defaultResponseHeaders } from "./response-headers.js";
export { defaultSegmentPattern } from "./upstream-path.js";
export type { UpstreamPoolOptions } from "./upstream-pool.js";
export { clearSessionCookies } from "../session/clear-session-cookies.js";
export { createSessionDecoder } from "../session/session-decoder.js";
export type { SessionDecoder, SessionDecoded } from "../session/session-decoder.js";
