import { BffError } from "../errors/bff-error.js";
import { classifyByStatus } from "./classify.js";
import { callUpstream } from "./http-client.js";
import { userFromIdToken } from "./id-token-user.js";
import { unverifiedTokenClaims } from "./token-claims.js";
import { refreshFailure, signInFailure } from "./token-errors.js";
import { readTokenResponse } from "./token-response.js";
import type { UpstreamProvider, UpstreamTokens, UpstreamUser } from "./types.js";
import { rolesFromClaims, userFromClaims } from "./user-claims.js";

/** Options of {@link createOAuth2PasswordProvider}. */
export interface OAuth2PasswordConfig {
  /** The token endpoint (`UPSTREAM_TOKEN_URL`). Required. */
  tokenUrl: string;
  /** RFC 7009 endpoint. Without it, sign-out cannot revoke upstream tokens. Default: none. */
  revocationUrl?: string;
  /** OpenID Connect userinfo. Without it, the user comes from the access token's claims. Default: none. */
  userinfoUrl?: string;
  /** An endpoint that revokes all of the bearer's tokens (POST with the access token). Default: none. */
  revokeAllUrl?: string;
  /** The OAuth client id registered at the upstream. Required. */
  clientId: string;
  /** That client's secret. Required. */
  clientSecret: string;
  /** Space-separated scopes for the password grant. Default: none sent. */
  scope?: string;
  /** `body` (client_id/client_secret form fields) or `basic` (HTTP Basic, RFC 6749 §2.3.1). Default: `body`. */
  clientAuthentication?: "body" | "basic";
  /**
   * Used when token responses do not say how long the refresh token lives. Seconds.
   * Default: none (the refresh token's expiry is then unknown).
   */
  refreshTokenLifetimeSeconds?: number;
  /**
   * The issuer an `id_token` in a password-grant response must name (`iss`). Default: the access
   * token's `iss` when it has one, else not compared.
   */
  issuer?: string;
  /** Provider name in logs. Default: `oauth2`. */
  id?: string;
}

/**
 * A generic OAuth 2.0 provider: password grant (RFC 6749 §4.3), refresh (§6), revocation
 * (RFC 7009), user from userinfo or token claims. Configured by URLs, client and scope alone.
 * When the password grant's response carries an OpenID Connect `id_token` with the display
 * claims (scope `openid`), the sign-in takes the user from it and skips userinfo
 * (`userFromIdToken`).
 */
export function createOAuth2PasswordProvider(config: OAuth2PasswordConfig): UpstreamProvider {
  const { revokeAllUrl } = config;
  const lifetimes = { refreshTokenLifetimeSeconds: config.refreshTokenLifetimeSeconds };

  function clientAuth(): { form: Record<string, string>; headers: Record<string, string> } {
    if (config.clientAuthentication === "basic") {
      // RFC 6749 §2.3.1: form-urlencode each part before joining.
      const user = encodeURIComponent(config.clientId);
      const secret = encodeURIComponent(config.clientSecret);
      const basic = Buffer.from(`${user}:${secret}`).toString("base64");
      return { form: {}, headers: { authorization: `Basic ${basic}` } };
    }
    return {
      form: { client_id: config.clientId, client_secret: config.clientSecret },
      headers: {},
    };
  }

  async function tokenRequest(
    fields: Record<string, string | undefined>,
    headers: Record<string, string> = {},
  ) {
    const auth = clientAuth();
    return callUpstream(config.tokenUrl, {
      form: { ...fields, ...auth.form },
      headers: { ...headers, ...auth.headers },
    });
  }

  return {
    id: config.id ?? "oauth2",

    async signIn({ username, password, clientAddress }) {
      const response = await tokenRequest(
        { grant_type: "password", username, password, scope: config.scope || undefined },
        clientAddress ? { "x-forwarded-for": clientAddress } : {},
      );
      if (response.status !== 200) throw signInFailure(response);
      const tokens = readTokenResponse(response.body, lifetimes);
      const idToken = (response.body as { id_token?: unknown }).id_token;
      const user = userFromIdToken(idToken, {
        clientId: config.clientId,
        issuer: config.issuer,
        accessToken: tokens.accessToken,
      });
      return user === undefined ? tokens : { ...tokens, user };
    },

    async refresh(refreshToken) {
      const response = await tokenRequest({
        grant_type: "refresh_token",
        refresh_token: refreshToken,
        scope: config.scope || undefined,
      });
      if (response.status !== 200) throw refreshFailure(response);
      return readTokenResponse(response.body, lifetimes);
    },

    async revoke(tokens: UpstreamTokens) {
      if (!config.revocationUrl) return;
      const auth = clientAuth();
      // RFC 7009 §2.2: 200 even for unknown tokens, so any other status is worth reporting.
      const response = await callUpstream(config.revocationUrl, {
        form: { token: tokens.refreshToken, token_type_hint: "refresh_token", ...auth.form },
        headers: auth.headers,
      });
      if (response.status !== 200) {
        throw new BffError("upstream_unavailable", `Revocation answered ${response.status}`);
      }
    },

    ...(revokeAllUrl
      ? {
          async revokeAll(tokens: UpstreamTokens) {
            const response = await callUpstream(revokeAllUrl, {
              method: "POST",
              bearer: tokens.accessToken,
            });
            if (response.status >= 300) {
              throw new BffError("upstream_unavailable", `Revoke-all answered ${response.status}`);
            }
          },
        }
      : {}),

    async fetchUser(tokens): Promise<UpstreamUser> {
      const tokenClaims = unverifiedTokenClaims(tokens.accessToken) ?? {};
      if (!config.userinfoUrl) return userFromClaims(tokenClaims);
      const response = await callUpstream(config.userinfoUrl, { bearer: tokens.accessToken });
      if (response.status !== 200 || typeof response.body !== "object" || response.body === null) {
        throw new BffError("upstream_unavailable", `Userinfo answered ${response.status}`);
      }
      return userFromClaims(response.body as Record<string, unknown>, rolesFromClaims(tokenClaims));
    },

    classify: classifyByStatus,
  };
}
