export { createBff } from "./bff.js";
export type { Bff, CreateBffOptions } from "./bff.js";
export { createAuthOptions } from "./auth-options.js";
export { createAuthRouteHandler } from "./auth-route.js";
export type { AuthOptionsDeps } from "./auth-options.js";
export {
  CODE_FLOW_PROVIDER_ID,
  codeFlowScope,
  createCodeFlowProvider,
} from "./code-flow-provider.js";
export type { CodeFlowProfile, CodeFlowProviderOptions } from "./code-flow-provider.js";
export { getServerSessionState, requireSession, readRequestSession } from "./next-session.js";
export type { ActiveSession } from "./next-session.js";
export { createSignInLimiter } from "./sign-in-limiter.js";
export type {
  SignInAttempt,
  SignInLimiter,
  SignInLimiterOptions,
  SignInLimits,
} from "./sign-in-limiter.js";
export { clientAddress } from "./client-address.js";
export { createSignOutEverywhereHandler } from "./sign-out-everywhere-route.js";
export { SessionEndedError } from "./session-ended-error.js";
export { loadBffConfig } from "../config/bff-config.js";
export type { BffConfig, SignInMethod } from "../config/bff-config.js";
export { DEMO_NEXTAUTH_SECRET, DEMO_NEXTAUTH_URL } from "../config/demo-values.js";
export { providerFromConfig } from "../config/provider-from-config.js";
export { memoryEndedSessionStore } from "../session/ended-sessions.js";
export type { EndedSessionStore } from "../session/ended-sessions.js";
export type { SessionCache, SessionCacheOptions } from "../upstream/session-cache.js";
export { createSessionReader } from "../session/session-reader.js";
export type { SessionReader, SessionReadResult } from "../session/session-reader.js";
export type { SessionClaims } from "../session/claims.js";
export type { PublicSession } from "../session/public-session.js";
export type { LifetimePolicy } from "../session/lifetime-policy.js";
export { sessionCookieName, joinSessionCookie } from "../session/session-cookie.js";
export { parseCookieHeader } from "../session/cookie-header.js";
export { redirectTarget, safeCallbackPath, loginPathFor } from "../shared/callback-url.js";
export { createServerUpstream } from "./upstream-client.js";
export type {
  ServerUpstreamClient,
  ServerUpstreamOptions,
  UpstreamRequestInit,
  UpstreamResult,
} from "./upstream-client.js";
export * from "../jsonapi/index.js";
