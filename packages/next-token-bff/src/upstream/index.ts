export { createUpstreamRoute, upstreamRouteMethods } from "./upstream-route.js";
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
export { clearSessionCookies } from "./session-cookies.js";
export { createSessionDecoder } from "./session-decoder.js";
export type { SessionDecoder, SessionDecoded } from "./session-decoder.js";
