/**
 * `next-token-bff`: the server side. An app makes one BFF in `lib/bff.ts` and mounts it:
 *
 *   export const bff = createBff({ protectedPaths: ["/account"] });      // lib/bff.ts
 *   export const proxy = bff.proxy;                                        // proxy.ts
 *   export const { GET, HEAD, POST, PUT, PATCH, DELETE } = bff.handlers;   // app/api/[...bff]/route.ts
 *
 * @packageDocumentation
 */
export { createBff } from "./lib/bff/create-bff.js";
export type { Bff, CreateBffOptions } from "./lib/bff/create-bff.js";
export type { BffRoutes } from "./lib/bff/route-handlers.js";
export type { PageProxy } from "./lib/bff/proxy-function.js";
export type { Logger } from "./lib/runtime/logger.js";
export type { BffConfig } from "./lib/config/bff-config.js";
export type { SessionClaims } from "./lib/session/claims.js";
export type { ActiveSession } from "./lib/session/next-session.js";
export type { RenderSessionState as SessionState } from "./lib/refresh/render.js";
export type {
  ServerUpstreamClient,
  UpstreamRequestInit,
  UpstreamResult,
} from "./lib/upstream/server-client.js";
export type { UpstreamProxyOptions } from "./lib/upstream/upstream-options.js";
