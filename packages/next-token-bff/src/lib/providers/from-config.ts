import { createDrupalProvider } from "./drupal.js";
import { createOAuth2PasswordProvider } from "./oauth2-password.js";
import { createOidcProvider } from "./oidc.js";
import type { UpstreamProvider } from "./types.js";
import type { BffConfig } from "../config/bff-config.js";
import type { Logger } from "../runtime/logger.js";

/**
 * The provider that `UPSTREAM_KIND` names, built from the validated configuration; it logs
 * refused refreshes and missing refresh tokens to `logger`.
 */
export function providerFromConfig({ upstream }: BffConfig, logger?: Logger): UpstreamProvider {
  const shared = {
    clientId: upstream.clientId,
    clientSecret: upstream.clientSecret,
    scope: upstream.scope,
    refreshTokenLifetimeSeconds: upstream.refreshTokenLifetimeSeconds,
    rolesClaim: upstream.rolesClaim,
    sendScopeOnRefresh: upstream.sendScopeOnRefresh,
    tokenTimeoutMs: upstream.tokenTimeoutSeconds * 1000,
    ...(logger ? { logger } : {}),
  };
  if (upstream.kind === "drupal") {
    return createDrupalProvider({
      baseUrl: upstream.baseUrl,
      ...shared,
    });
  }
  if (upstream.kind === "oidc") {
    return createOidcProvider({
      issuer: upstream.baseUrl,
      ...shared,
    });
  }
  return createOAuth2PasswordProvider({
    tokenUrl: upstream.tokenUrl ?? new URL("token", upstream.baseUrl).toString(),
    revocationUrl: upstream.revocationUrl,
    userinfoUrl: upstream.userinfoUrl,
    revokeAllUrl: upstream.revokeAllUrl,
    ...shared,
  });
}
