export { createAuthProxy } from "./auth-proxy.js";
export type { AuthProxy, AuthProxyOptions } from "./auth-proxy.js";
export { recordActivity, ACTIVITY_WRITE_INTERVAL_SECONDS } from "../session/record-activity.js";
export type { SessionCookieWrite } from "../session/record-activity.js";
