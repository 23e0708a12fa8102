export type {
  Credentials,
  SignInResult,
  UpstreamProvider,
  UpstreamTokens,
  UpstreamUser,
  UpstreamVerdict,
} from "./types.js";
export { createDrupalProvider } from "./drupal.js";
export type { DrupalProviderConfig } from "./drupal.js";
export { createOAuth2PasswordProvider } from "./oauth2-password.js";
export { createOidcProvider, discoveryUrl, fetchDiscovery } from "./oidc.js";
export type { OidcProviderConfig, OidcDiscovery } from "./oidc.js";
export type { OAuth2PasswordConfig } from "./oauth2-password.js";
// Building blocks for writing a provider of your own (see test/custom-provider.test.ts).
export { callUpstream, headerValue } from "./http-client.js";
export type { UpstreamRequest, UpstreamResponse } from "./http-client.js";
export { classifyByStatus } from "./classify.js";
export { parseRetryAfter } from "./retry-after.js";
export { unverifiedTokenClaims, scopeList } from "./token-claims.js";
export { userFromClaims, rolesFromClaims } from "./user-claims.js";
export { readTokenResponse } from "./token-response.js";
export { userFromIdToken } from "./id-token-user.js";
export type { IdTokenExpectations } from "./id-token-user.js";
export { signInFailure, refreshFailure, oauthErrorCode } from "./token-errors.js";
