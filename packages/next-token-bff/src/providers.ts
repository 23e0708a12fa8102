/**
 * `next-token-bff/providers`: for connecting another token API. The `UpstreamProvider`
 * interface, the built-in providers (Drupal, OAuth 2.0, OpenID Connect, and declared JSON token
 * APIs), and the building blocks they are made of (HTTP with the error model, token answers,
 * the default reading of API answers).
 * @packageDocumentation
 */
export type {
  Credentials,
  SignInResult,
  UpstreamAnswerPeek,
  UpstreamProvider,
  UpstreamTokens,
  UpstreamUser,
  UpstreamVerdict,
} from "./lib/providers/types.js";
export { createDrupalProvider } from "./lib/providers/drupal.js";
export { createOAuth2PasswordProvider } from "./lib/providers/oauth2-password.js";
export { createOidcProvider } from "./lib/providers/oidc.js";
export { createJsonTokenProvider } from "./lib/providers/json-token-provider.js";
export type { JsonTokenProviderConfig } from "./lib/providers/json-token-provider.js";
export { callUpstream } from "./lib/providers/http-client.js";
export { classifyAnswer } from "./lib/providers/classify.js";
export { readTokenResponse } from "./lib/providers/token-response.js";
