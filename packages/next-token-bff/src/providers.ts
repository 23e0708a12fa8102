export type {
  Credentials,
  SignInResult,
  UpstreamProvider,
  UpstreamTokens,
  UpstreamUser,
  UpstreamVerdict,
} from "./lib/providers/types.js";
export { createDrupalProvider } from "./lib/providers/drupal.js";
export type { DrupalProviderConfig } from "./lib/providers/drupal.js";
export { createOAuth2PasswordProvider } from "./lib/providers/oauth2-password.js";
export { createOidcProvider, discoveryUrl, fetchDiscovery } from "./lib/providers/oidc.js";
export type { OidcProviderConfig, OidcDiscovery } from "./lib/providers/oidc.js";
export type { OAuth2PasswordConfig } from "./lib/providers/oauth2-password.js";
// Building blocks for writing a provider of your own (see test/custom-provider.test.ts).
export { callUpstream, headerValue } from "./lib/providers/http-client.js";
export type { UpstreamRequest, UpstreamResponse } from "./lib/providers/http-client.js";
export { classifyByStatus } from "./lib/providers/classify.js";
export { parseRetryAfter } from "./lib/providers/retry-after.js";
export { unverifiedTokenClaims, scopeList } from "./lib/providers/token-claims.js";
export { userFromClaims, rolesFromClaims } from "./lib/providers/user-claims.js";
export { readTokenResponse } from "./lib/providers/token-response.js";
export { userFromIdToken } from "./lib/providers/id-token-user.js";
export type { IdTokenExpectations } from "./lib/providers/id-token-user.js";
export { signInFailure, refreshFailure, oauthErrorCode } from "./lib/providers/token-errors.js";
