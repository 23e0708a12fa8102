export { BffSessionProvider } from "./bff-session-provider.js";
export type { BffSessionProviderProps } from "./bff-session-provider.js";
export { SignedOutRedirect } from "./signed-out-redirect.js";
export { useSecondsUntil, formatDuration } from "./use-seconds-until.js";
export { asPublicSession } from "../shared/public-session-guard.js";
export { redirectTarget, safeCallbackPath, loginPathFor } from "../shared/callback-url.js";
export type { PublicSession } from "../session/public-session.js";
export { endSessionInBrowser, loginUrlForReason, upstreamFetch } from "./upstream-fetch.js";
export type {
  SessionEndReason,
  SessionEndedMessage,
  UpstreamFetchInit,
  UpstreamFetchResult,
} from "./upstream-fetch.js";
export { SessionEndedListener } from "./session-ended-listener.js";
export * from "../jsonapi/index.js";
