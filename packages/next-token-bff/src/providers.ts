/**
 * `next-token-bff/providers`: for connecting another token API. The `UpstreamProvider`
 * interface, the built-in providers, and the building blocks they are made of (HTTP with the
 * error model, token answers, OAuth error mapping).
 * @packageDocumentation
 */
export type {
  Credentials,
  SignInResult,
  UpstreamProvider,
  UpstreamTokens,
  UpstreamUser,
  UpstreamVerdict,
} from "./lib/providers/types.js";
export { createDrupalProvider } from "./lib/providers/drupal.js";
export { createOAuth2PasswordProvider } from "./lib/providers/oauth2-password.js";
export { createOidcProvider } from "./lib/providers/oidc.js";
export { callUpstream } from "./lib/providers/http-client.js";
export { classifyByStatus } from "./lib/providers/classify.js";
export { readTokenResponse } from "./lib/providers/token-response.js";
export { signInFailure, refreshFailure } from "./lib/providers/token-errors.js";
