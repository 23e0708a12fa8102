/**
 * `next-token-bff/testing`: helpers for your own tests (Node only, never in app code).
 * @packageDocumentation
 */
export { mintSessionCookie } from "./session-cookie.js";
export type { MintSessionCookieOptions, MintedSessionCookie } from "./session-cookie.js";
