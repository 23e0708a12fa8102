import { z } from "zod";
import { BffError } from "../errors/bff-error.js";
import type { Logger } from "../runtime/logger.js";
import { classifyAnswer } from "./classify.js";
import { callUpstream } from "./http-client.js";
import { createOAuth2PasswordProvider } from "./oauth2-password.js";
import type { UpstreamProvider } from "./types.js";

/** Options of {@link createOidcProvider}. */
export interface OidcProviderConfig {
  /** The issuer URL; its discovery document is `<issuer>/.well-known/openid-configuration`. Required. */
  issuer: string;
  /** The OAuth client id registered at the issuer. Required. */
  clientId: string;
  /** That client's secret. Required. */
  clientSecret: string;
  /**
   * Scopes for the password grant and refreshes. The code flow adds `openid` itself; with the
   * password grant, `openid` brings an `id_token` that spares the sign-in its userinfo call.
   * Default: none sent.
   */
  scope?: string;
  /**
   * Used when token responses do not say how long the refresh token lives. Seconds.
   * Default: none (the refresh token's expiry is then unknown).
   */
  refreshTokenLifetimeSeconds?: number;
  /** Send `scope` with refreshes too (see `createOAuth2PasswordProvider`). Default: `false`. */
  sendScopeOnRefresh?: boolean;
  /** The id_token or userinfo claim that lists the roles (dots reach into objects). Default: `roles`. */
  rolesClaim?: string;
  /** How long a token request may take, ms. Default: 30 s. */
  tokenTimeoutMs?: number;
  /** Where refused refreshes and missing refresh tokens are logged. Default: JSON lines on stderr. */
  logger?: Logger;
  /** Provider name in logs. Default: `oidc`. */
  id?: string;
}

const discoverySchema = z.object({
  issuer: z.string().min(1),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  userinfo_endpoint: z.url().optional(),
  revocation_endpoint: z.url().optional(),
  token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
});

/** The fields of an OpenID Connect discovery document this library uses, checked. */
export type OidcDiscovery = z.infer<typeof discoverySchema>;

/** `<issuer>/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §4). */
export function discoveryUrl(issuer: string): string {
  return new URL(".well-known/openid-configuration", issuer.endsWith("/") ? issuer : `${issuer}/`)
    .href;
}

/**
 * Reads a discovery document. Its `issuer` must equal the configured one (trailing slash
 * ignored), else someone else's endpoints would be used (OpenID Connect Discovery §4.3).
 */
export async function fetchDiscovery(issuer: string): Promise<OidcDiscovery> {
  const response = await callUpstream(discoveryUrl(issuer));
  const parsed = discoverySchema.safeParse(response.body);
  if (response.status !== 200 || !parsed.success) {
    throw new BffError(
      "upstream_unavailable",
      `OpenID Connect discovery at ${discoveryUrl(issuer)} answered ${response.status} without a usable document`,
    );
  }
  const trim = (value: string) => value.replace(/\/+$/, "");
  if (trim(parsed.data.issuer) !== trim(issuer)) {
    throw new BffError(
      "misconfigured",
      `The discovery document names issuer ${parsed.data.issuer}, not ${issuer}`,
    );
  }
  return parsed.data;
}

/**
 * A generic OpenID Connect provider configured from the issuer URL alone: token, userinfo and
 * revocation endpoints come from discovery (read on first use, kept once it worked). Refresh,
 * revocation and the user's display fields work as for the generic OAuth 2.0 provider; the
 * password grant is only there if the server still offers it.
 */
export function createOidcProvider(config: OidcProviderConfig): UpstreamProvider {
  const id = config.id ?? "oidc";
  let inner: Promise<UpstreamProvider> | undefined;

  function provider(): Promise<UpstreamProvider> {
    inner ??= fetchDiscovery(config.issuer).then((document) => {
      const basic =
        document.token_endpoint_auth_methods_supported !== undefined &&
        !document.token_endpoint_auth_methods_supported.includes("client_secret_post") &&
        document.token_endpoint_auth_methods_supported.includes("client_secret_basic");
      return createOAuth2PasswordProvider({
        id,
        tokenUrl: document.token_endpoint,
        userinfoUrl: document.userinfo_endpoint,
        revocationUrl: document.revocation_endpoint,
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        scope: config.scope,
        clientAuthentication: basic ? "basic" : "body",
        issuer: document.issuer,
        refreshTokenLifetimeSeconds: config.refreshTokenLifetimeSeconds,
        sendScopeOnRefresh: config.sendScopeOnRefresh,
        ...(config.tokenTimeoutMs === undefined ? {} : { tokenTimeoutMs: config.tokenTimeoutMs }),
        rolesClaim: config.rolesClaim,
        ...(config.logger ? { logger: config.logger } : {}),
      });
    });
    // A failed discovery is tried again on the next call.
    inner.catch(() => {
      inner = undefined;
    });
    return inner;
  }

  return {
    id,
    signIn: async (credentials) => (await provider()).signIn(credentials),
    refresh: async (refreshToken) => (await provider()).refresh(refreshToken),
    revoke: async (tokens) => (await provider()).revoke(tokens),
    fetchUser: async (tokens, hints) => (await provider()).fetchUser(tokens, hints),
    classify: classifyAnswer,
  };
}
