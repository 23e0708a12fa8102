export { createBff } from "./lib/bff/bff.js";
export type { Bff, CreateBffOptions } from "./lib/bff/bff.js";
export { createAuthOptions } from "./lib/sign-in/auth-options.js";
export { createAuthRouteHandler } from "./lib/sign-in/auth-route.js";
export type { AuthOptionsDeps } from "./lib/sign-in/auth-options.js";
export {
  CODE_FLOW_PROVIDER_ID,
  codeFlowScope,
  createCodeFlowProvider,
} from "./lib/sign-in/code-flow-provider.js";
export type { CodeFlowProfile, CodeFlowProviderOptions } from "./lib/sign-in/code-flow-provider.js";
export {
  getServerSessionState,
  requireSession,
  readRequestSession,
} from "./lib/session/next-session.js";
export type { ActiveSession } from "./lib/session/next-session.js";
export { createSignInLimiter } from "./lib/sign-in/sign-in-limiter.js";
export type {
  SignInAttempt,
  SignInLimiter,
  SignInLimiterOptions,
  SignInLimits,
} from "./lib/sign-in/sign-in-limiter.js";
export { clientAddress } from "./lib/sign-in/client-address.js";
export { createSignOutEverywhereHandler } from "./lib/session/sign-out-everywhere-route.js";
export { SessionEndedError } from "./lib/errors/session-ended-error.js";
export { loadBffConfig } from "./lib/config/bff-config.js";
export type { BffConfig, SignInMethod } from "./lib/config/bff-config.js";
export { DEMO_NEXTAUTH_SECRET, DEMO_NEXTAUTH_URL } from "./lib/config/demo-values.js";
export { providerFromConfig } from "./lib/providers/from-config.js";
export { memoryEndedSessionStore } from "./lib/session/ended-sessions.js";
export type { EndedSessionStore } from "./lib/session/ended-sessions.js";
export type { SessionCache, SessionCacheOptions } from "./lib/session/session-cache.js";
export { createSessionReader } from "./lib/session/session-reader.js";
export type { SessionReader, SessionReadResult } from "./lib/session/session-reader.js";
export type { SessionClaims } from "./lib/session/claims.js";
export type { PublicSession } from "./lib/session/public-session.js";
export type { LifetimePolicy } from "./lib/session/lifetime-policy.js";
export { sessionCookieName, joinSessionCookie } from "./lib/session/session-cookie.js";
export { parseCookieHeader } from "./lib/session/cookie-header.js";
export { redirectTarget, safeCallbackPath, loginPathFor } from "./lib/redirect/callback-url.js";
export { createServerUpstream } from "./lib/upstream/server-client.js";
export type {
  ServerUpstreamClient,
  ServerUpstreamOptions,
  UpstreamRequestInit,
  UpstreamResult,
} from "./lib/upstream/server-client.js";
export * from "./lib/jsonapi/index.js";
