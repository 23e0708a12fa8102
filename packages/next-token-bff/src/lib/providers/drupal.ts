import { BffError } from "../errors/bff-error.js";
import type { Logger } from "../runtime/logger.js";
import { callUpstream } from "./http-client.js";
import { userFromIdToken } from "./id-token-user.js";
import { isNoRefreshToken } from "./no-refresh-token.js";
import { createOAuth2PasswordProvider } from "./oauth2-password.js";
import { scopeList, unverifiedTokenClaims } from "./token-claims.js";
import { accountRefused } from "./token-errors.js";
import type { UpstreamProvider, UpstreamTokens, UpstreamUser } from "./types.js";
import { rolesAt, userFromClaims } from "./user-claims.js";

/** Options of {@link createDrupalProvider}. */
export interface DrupalProviderConfig {
  /** The site's base URL, e.g. `https://cms.example.com` (a sub-path install keeps its path). Required. */
  baseUrl: string;
  /** The consumer's client id; on simple_oauth 5.x this is the consumer entity's UUID. Required. */
  clientId: string;
  /** The consumer's secret. Required. */
  clientSecret: string;
  /** Scopes for the password grant; simple_oauth 6.x needs them for useful tokens. Default: none sent. */
  scope?: string;
  /** Send `scope` with refreshes too (see `createOAuth2PasswordProvider`). Default: `false`. */
  sendScopeOnRefresh?: boolean;
  /** A userinfo (or id_token) claim that lists the roles, if the site adds one. Default: `roles`. */
  rolesClaim?: string;
  /** How long a token request may take, ms. Default: 30 s. */
  tokenTimeoutMs?: number;
  /** Where refused refreshes are logged. Default: JSON lines on stderr. */
  logger?: Logger;
  /**
   * simple_oauth's refresh token lifetime, used when token responses do not say. Seconds.
   * Default: `1209600` (14 days).
   */
  refreshTokenLifetimeSeconds?: number;
}

/**
 * Drupal with simple_oauth 6.x (+ simple_oauth_password_grant) or 5.x. Tolerances follow
 * drupal-wire.md D.2: form-encoded token requests, `exp` as a float, refresh refusals as 400
 * `invalid_grant` or 401 `invalid_request`, an extra `message` member ignored. At sign-in the user
 * comes from the password grant's `id_token` when the site sends one (scope `openid` requested
 * and enabled for the password grant); otherwise, and on later reads, from `/oauth/userinfo`,
 * falling back to JSON:API's `meta.links.me` when OpenID Connect is off.
 *
 * Roles are what Drupal says the person acts with, never the requested scope: a `roles` claim
 * of userinfo or the id_token when the site adds one (the reference API does); else
 * `/oauth/debug?_format=json` (its `roles` are simple_oauth 6.x's granted roles, the scope's
 * roles the user holds; needs the `debug simple_oauth tokens` permission); else, on 5.x, the
 * token's `scope`, which 5.x narrows to the user's own roles (recognised by the `authenticated`
 * role 5.x always adds); else none. A userinfo 401 right after sign-in (5.x, blocked account)
 * is `account_disabled`.
 * Revocation needs the `simple_oauth_revoke` module; without it, a 404 is tolerated. Drupal has
 * no "revoke all of a user's tokens" endpoint, so `revokeAll` is absent.
 */
export function createDrupalProvider(config: DrupalProviderConfig): UpstreamProvider {
  const url = (path: string) => new URL(path, withTrailingSlash(config.baseUrl)).toString();
  const oauth = createOAuth2PasswordProvider({
    id: "drupal",
    tokenUrl: url("oauth/token"),
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    scope: config.scope,
    sendScopeOnRefresh: config.sendScopeOnRefresh,
    ...(config.tokenTimeoutMs === undefined ? {} : { tokenTimeoutMs: config.tokenTimeoutMs }),
    refreshTokenLifetimeSeconds: config.refreshTokenLifetimeSeconds ?? 1_209_600,
    rolesClaim: config.rolesClaim,
    readRoles: (tokens) => drupalRoles(tokens, url("oauth/debug?_format=json")),
    ...(config.logger ? { logger: config.logger } : {}),
  });

  return {
    id: "drupal",
    signIn: (credentials) => oauth.signIn(credentials),
    refresh: (refreshToken) => oauth.refresh(refreshToken),
    classify: (response) => oauth.classify(response),

    async revoke(tokens) {
      const refresh = !isNoRefreshToken(tokens.refreshToken);
      const response = await callUpstream(url("oauth/revoke"), {
        form: {
          token: refresh ? tokens.refreshToken : tokens.accessToken,
          token_type_hint: refresh ? "refresh_token" : "access_token",
          client_id: config.clientId,
          client_secret: config.clientSecret,
        },
      });
      // 404: the simple_oauth_revoke module is not installed; nothing more can be done upstream.
      if (response.status !== 200 && response.status !== 404) {
        throw new BffError("upstream_unavailable", `Revocation answered ${response.status}`);
      }
    },

    async fetchUser(tokens, hints = {}): Promise<UpstreamUser> {
      const roles = async (claims: unknown) =>
        rolesAt(claims, config.rolesClaim) ??
        (await drupalRoles(tokens, url("oauth/debug?_format=json"))) ??
        [];
      if (hints.idToken !== undefined) {
        const expected = { clientId: config.clientId, accessToken: tokens.accessToken };
        const user = userFromIdToken(hints.idToken, { ...expected, rolesClaim: config.rolesClaim });
        if (user !== undefined) return { ...user, roles: user.roles ?? (await roles({})) };
      }
      const userinfo = await callUpstream(url("oauth/userinfo"), { bearer: tokens.accessToken });
      if (userinfo.status === 200 && isRecord(userinfo.body)) {
        return userFromClaims(userinfo.body, await roles(userinfo.body));
      }
      // A token issued a moment ago and refused: simple_oauth 5.x does so for a blocked account.
      if (userinfo.status === 401) throw accountRefused("drupal", userinfo.status);
      // 404: OpenID Connect is disabled on the site. Anything else is a real failure.
      if (userinfo.status !== 404) {
        throw new BffError("upstream_unavailable", `Userinfo answered ${userinfo.status}`);
      }
      const claims = await claimsFromJsonApi(tokens, url("jsonapi"));
      return userFromClaims(claims, await roles({}));
    },
  };
}

/**
 * The roles Drupal says the token acts with, when no claim lists them: `/oauth/debug` (6.x:
 * scope roles ∩ the user's roles), else a 5.x token's own `scope` (5.x keeps only the user's
 * roles there and always adds `authenticated`, which 6.x scopes never do by themselves).
 * Undefined when Drupal exposes neither.
 */
async function drupalRoles(
  tokens: UpstreamTokens,
  debugUrl: string,
): Promise<string[] | undefined> {
  const debug = await callUpstream(debugUrl, { bearer: tokens.accessToken }).catch(() => null);
  const fromDebug = debug?.status === 200 ? rolesAt(debug.body, "roles") : undefined;
  if (fromDebug !== undefined) return fromDebug;
  const scope = scopeList(unverifiedTokenClaims(tokens.accessToken)?.scope);
  return scope.includes("authenticated") ? rolesAt({ scope }, "scope") : undefined;
}

/** drupal-wire.md C.9: `/jsonapi` names the current user in `meta.links.me`. */
async function claimsFromJsonApi(
  tokens: UpstreamTokens,
  entryPointUrl: string,
): Promise<Record<string, unknown>> {
  const entry = await callUpstream(entryPointUrl, {
    bearer: tokens.accessToken,
    headers: { accept: "application/vnd.api+json" },
  });
  const href = pick(entry.body, ["meta", "links", "me", "href"]);
  if (entry.status !== 200 || typeof href !== "string") {
    throw new BffError("upstream_unavailable", "JSON:API did not name the current user");
  }
  const me = await callUpstream(href, {
    bearer: tokens.accessToken,
    headers: { accept: "application/vnd.api+json" },
  });
  const attributes = pick(me.body, ["data", "attributes"]);
  if (me.status !== 200 || !isRecord(attributes)) {
    throw new BffError("upstream_unavailable", `The user resource answered ${me.status}`);
  }
  return {
    sub: attributes.drupal_internal__uid ?? pick(me.body, ["data", "id"]),
    preferred_username: attributes.name,
    name: attributes.display_name,
    email: attributes.mail,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function pick(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

function withTrailingSlash(base: string): string {
  return base.endsWith("/") ? base : `${base}/`;
}
