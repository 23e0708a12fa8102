export { BffSessionProvider } from "./lib/client/bff-session-provider.js";
export type { BffSessionProviderProps } from "./lib/client/bff-session-provider.js";
export { SignedOutRedirect } from "./lib/client/signed-out-redirect.js";
export { useSecondsUntil, formatDuration } from "./lib/client/use-seconds-until.js";
export { asPublicSession } from "./lib/client/public-session-guard.js";
export { redirectTarget, safeCallbackPath, loginPathFor } from "./lib/redirect/callback-url.js";
export type { PublicSession } from "./lib/session/public-session.js";
export {
  endSessionInBrowser,
  loginUrlForReason,
  upstreamFetch,
} from "./lib/client/upstream-fetch.js";
export type {
  SessionEndReason,
  SessionEndedMessage,
  UpstreamFetchInit,
  UpstreamFetchResult,
} from "./lib/client/upstream-fetch.js";
export { SessionEndedListener } from "./lib/client/session-ended-listener.js";
export * from "./lib/jsonapi/index.js";
