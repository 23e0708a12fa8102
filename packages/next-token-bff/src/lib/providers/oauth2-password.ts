import { BffError } from "../errors/bff-error.js";
import type { Logger } from "../runtime/logger.js";
import { classifyAnswer } from "./classify.js";
import { callUpstream } from "./http-client.js";
import { userFromIdToken } from "./id-token-user.js";
import { isNoRefreshToken } from "./no-refresh-token.js";
import { providerLog } from "./provider-log.js";
import { unverifiedTokenClaims } from "./token-claims.js";
import { accountRefused, refreshFailure, refusalReason, signInFailure } from "./token-errors.js";
import { readTokenResponse } from "./token-response.js";
import type { UpstreamProvider, UpstreamTokens, UpstreamUser } from "./types.js";
import { rolesAt, userFromClaims } from "./user-claims.js";

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
  /**
   * Send `scope` with `refresh_token` grants too (`UPSTREAM_SEND_SCOPE_ON_REFRESH`). RFC 6749
   * §6: without it the original grant applies; servers that narrow the granted scope (Drupal
   * simple_oauth, node-oidc-provider) refuse a refresh that asks for more. Default: `false`.
   */
  sendScopeOnRefresh?: boolean;
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
  /**
   * The claim of the id_token, userinfo or a JWT access token that lists the person's roles
   * (`UPSTREAM_ROLES_CLAIM`; dots reach into objects, `realm_access.roles`). Roles never come
   * from the requested scope. Default: `roles`.
   */
  rolesClaim?: string;
  /**
   * How long a token request may take, ms: longer than reads, because a refresh that times out
   * has an unknown outcome (`UPSTREAM_TOKEN_TIMEOUT`). Default: 30 s.
   */
  tokenTimeoutMs?: number;
  /**
   * Where the roles come from when no claim lists them (Drupal asks `/oauth/debug`).
   * Default: none (no roles are shown).
   */
  readRoles?: (tokens: UpstreamTokens) => Promise<string[] | undefined>;
  /** Where refused refreshes and missing refresh tokens are logged. Default: JSON lines on stderr. */
  logger?: Logger;
  /** Provider name in logs. Default: `oauth2`. */
  id?: string;
}

/**
 * A generic OAuth 2.0 provider: password grant (RFC 6749 §4.3), refresh (§6, without `scope`
 * unless `sendScopeOnRefresh`), revocation of the refresh token (RFC 7009), user from the
 * id_token, userinfo or the token's claims. Configured by URLs, client and scope alone. When a
 * token response carries an OpenID Connect `id_token` with the display claims (scope `openid`),
 * the user comes from it and userinfo is not asked (`userFromIdToken`). Without a refresh token
 * (no `offline_access`) the session works until its access token is due, and the log says so.
 */
export function createOAuth2PasswordProvider(config: OAuth2PasswordConfig): UpstreamProvider {
  const { revokeAllUrl } = config;
  const id = config.id ?? "oauth2";
  const lifetimes = { refreshTokenLifetimeSeconds: config.refreshTokenLifetimeSeconds };
  const log = providerLog(config.logger);

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
      timeoutMs: config.tokenTimeoutMs ?? 30_000,
    });
  }

  /** Roles when the user's own claims do not list them: a JWT access token's claim, `readRoles`. */
  async function otherRoles(tokens: UpstreamTokens, askUserinfo: boolean): Promise<string[]> {
    const fromToken = rolesAt(unverifiedTokenClaims(tokens.accessToken), config.rolesClaim);
    if (fromToken !== undefined) return fromToken;
    if (config.readRoles) return (await config.readRoles(tokens)) ?? [];
    if (askUserinfo && config.userinfoUrl) {
      // The id_token named the person but not the roles: userinfo may list them.
      const response = await callUpstream(config.userinfoUrl, { bearer: tokens.accessToken });
      if (response.status === 200) return rolesAt(response.body, config.rolesClaim) ?? [];
    }
    return [];
  }

  async function userOfIdToken(
    idToken: unknown,
    tokens: UpstreamTokens,
  ): Promise<UpstreamUser | undefined> {
    const user = userFromIdToken(idToken, {
      clientId: config.clientId,
      issuer: config.issuer,
      accessToken: tokens.accessToken,
      rolesClaim: config.rolesClaim,
    });
    if (user === undefined) return undefined;
    return { ...user, roles: user.roles ?? (await otherRoles(tokens, true).catch(() => [])) };
  }

  return {
    id,

    async signIn({ username, password, clientAddress }) {
      const response = await tokenRequest(
        { grant_type: "password", username, password, scope: config.scope || undefined },
        clientAddress ? { "x-forwarded-for": clientAddress } : {},
      );
      if (response.status !== 200) throw signInFailure(response);
      const tokens = readTokenResponse(response.body, lifetimes);
      if (isNoRefreshToken(tokens.refreshToken)) {
        log.noRefreshToken(id, Math.round((tokens.accessTokenExpiresAt - Date.now()) / 1000));
      }
      const idToken = (response.body as { id_token?: unknown }).id_token;
      const user = await userOfIdToken(idToken, tokens);
      return user === undefined ? tokens : { ...tokens, user };
    },

    async refresh(refreshToken) {
      if (isNoRefreshToken(refreshToken)) {
        log.endedWithoutRefreshToken(id);
        throw new BffError("session_expired", "the upstream issued no refresh token at sign-in");
      }
      const response = await tokenRequest({
        grant_type: "refresh_token",
        refresh_token: refreshToken,
        scope: config.sendScopeOnRefresh === true ? config.scope || undefined : undefined,
      });
      if (response.status !== 200) {
        const failure = refreshFailure(response);
        if (failure.code === "session_expired") log.refreshRefused(id, refusalReason(response));
        throw failure;
      }
      return readTokenResponse(response.body, {
        ...lifetimes,
        previousRefreshToken: refreshToken,
      });
    },

    async revoke(tokens: UpstreamTokens) {
      if (!config.revocationUrl) return;
      const auth = clientAuth();
      // Without a refresh token, the access token is what there is to revoke.
      const token = isNoRefreshToken(tokens.refreshToken)
        ? { token: tokens.accessToken, token_type_hint: "access_token" }
        : { token: tokens.refreshToken, token_type_hint: "refresh_token" };
      // RFC 7009 §2.2: 200 even for unknown tokens, so any other status is worth reporting.
      const response = await callUpstream(config.revocationUrl, {
        form: { ...token, ...auth.form },
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

    async fetchUser(tokens, hints = {}): Promise<UpstreamUser> {
      if (hints.idToken !== undefined) {
        const user = await userOfIdToken(hints.idToken, tokens);
        if (user !== undefined) return user;
      }
      const tokenClaims = unverifiedTokenClaims(tokens.accessToken) ?? {};
      if (!config.userinfoUrl) return userFromClaims(tokenClaims, await otherRoles(tokens, false));
      const response = await callUpstream(config.userinfoUrl, { bearer: tokens.accessToken });
      if (response.status === 401) throw accountRefused(id, response.status);
      if (response.status !== 200 || typeof response.body !== "object" || response.body === null) {
        throw new BffError("upstream_unavailable", `Userinfo answered ${response.status}`);
      }
      const claims = response.body as Record<string, unknown>;
      const roles = rolesAt(claims, config.rolesClaim) ?? (await otherRoles(tokens, false));
      return userFromClaims(claims, roles);
    },

    classify: classifyAnswer,
  };
}
