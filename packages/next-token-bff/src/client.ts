/**
 * `next-token-bff/client`: browser-safe parts. React components and hooks for the session,
 * `upstreamFetch` for calls through the proxy, JSON:API helpers (pages on the server use them
 * too), and `redirectTarget`, the one check of every caller-supplied redirect.
 * @packageDocumentation
 */
export { BffSessionProvider } from "./lib/client/bff-session-provider.js";
export { SessionEndedListener } from "./lib/client/session-ended-listener.js";
export { SignedOutRedirect } from "./lib/client/signed-out-redirect.js";
export { useSecondsUntil, formatDuration } from "./lib/client/use-seconds-until.js";
export { asPublicSession } from "./lib/client/public-session-guard.js";
export type { PublicSession } from "./lib/session/public-session.js";
export { upstreamFetch } from "./lib/client/upstream-fetch.js";
export type { UpstreamFetchResult } from "./lib/client/upstream-fetch.js";
export { redirectTarget } from "./lib/redirect/callback-url.js";
export type {
  JsonApiDocument,
  JsonApiLink,
  JsonApiResource,
  JsonApiWriteDocument,
} from "./lib/jsonapi/document.js";
export { includedResource, omittedCount } from "./lib/jsonapi/document.js";
export type { UpstreamProblem } from "./lib/jsonapi/problem.js";
export { jsonApiQuery, pageOffsetOfLink, proxyPathOfLink } from "./lib/jsonapi/links.js";
