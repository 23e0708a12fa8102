import { createDrupalProvider } from "./drupal.js";
import { createOAuth2PasswordProvider } from "./oauth2-password.js";
import { createOidcProvider } from "./oidc.js";
import type { UpstreamProvider } from "./types.js";
import type { BffConfig } from "../config/bff-config.js";

/** The provider that `UPSTREAM_KIND` names, built from the validated configuration. */
export function providerFromConfig({ upstream }: BffConfig): UpstreamProvider {
  if (upstream.kind === "drupal") {
    return createDrupalProvider({
      baseUrl: upstream.baseUrl,
      clientId: upstream.clientId,
      clientSecret: upstream.clientSecret,
      scope: upstream.scope,
      refreshTokenLifetimeSeconds: upstream.refreshTokenLifetimeSeconds,
    });
  }
  if (upstream.kind === "oidc") {
    return createOidcProvider({
      issuer: upstream.baseUrl,
      clientId: upstream.clientId,
      clientSecret: upstream.clientSecret,
      scope: upstream.scope,
      refreshTokenLifetimeSeconds: upstream.refreshTokenLifetimeSeconds,
    });
  }
  return createOAuth2PasswordProvider({
    tokenUrl: upstream.tokenUrl ?? new URL("token", upstream.baseUrl).toString(),
    revocationUrl: upstream.revocationUrl,
    userinfoUrl: upstream.userinfoUrl,
    revokeAllUrl: upstream.revokeAllUrl,
    clientId: upstream.clientId,
    clientSecret: upstream.clientSecret,
    scope: upstream.scope,
    refreshTokenLifetimeSeconds: upstream.refreshTokenLifetimeSeconds,
  });
}
