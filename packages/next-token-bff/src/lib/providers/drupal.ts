import { BffError } from "../errors/bff-error.js";
import { callUpstream } from "./http-client.js";
import { createOAuth2PasswordProvider } from "./oauth2-password.js";
import { unverifiedTokenClaims } from "./token-claims.js";
import type { UpstreamProvider, UpstreamTokens, UpstreamUser } from "./types.js";
import { rolesFromClaims, userFromClaims } from "./user-claims.js";

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
    refreshTokenLifetimeSeconds: config.refreshTokenLifetimeSeconds ?? 1_209_600,
  });

  return {
    id: "drupal",
    signIn: (credentials) => oauth.signIn(credentials),
    refresh: (refreshToken) => oauth.refresh(refreshToken),
    classify: (response) => oauth.classify(response),

    async revoke(tokens) {
      const response = await callUpstream(url("oauth/revoke"), {
        form: {
          token: tokens.refreshToken,
          token_type_hint: "refresh_token",
          client_id: config.clientId,
          client_secret: config.clientSecret,
        },
      });
      // 404: the simple_oauth_revoke module is not installed; nothing more can be done upstream.
      if (response.status !== 200 && response.status !== 404) {
        throw new BffError("upstream_unavailable", `Revocation answered ${response.status}`);
      }
    },

    async fetchUser(tokens): Promise<UpstreamUser> {
      const userinfo = await callUpstream(url("oauth/userinfo"), { bearer: tokens.accessToken });
      const tokenRoles = rolesFromClaims(unverifiedTokenClaims(tokens.accessToken) ?? {});
      if (userinfo.status === 200 && isRecord(userinfo.body)) {
        return userFromClaims(userinfo.body, tokenRoles);
      }
      // 404: OpenID Connect is disabled on the site. Anything else is a real failure.
      if (userinfo.status !== 404) {
        throw new BffError("upstream_unavailable", `Userinfo answered ${userinfo.status}`);
      }
      return userFromJsonApi(tokens, url("jsonapi"), tokenRoles);
    },
  };
}

/** drupal-wire.md C.9: `/jsonapi` names the current user in `meta.links.me`. */
async function userFromJsonApi(
  tokens: UpstreamTokens,
  entryPointUrl: string,
  roles: string[],
): Promise<UpstreamUser> {
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
  return userFromClaims(
    {
      sub: attributes.drupal_internal__uid ?? pick(me.body, ["data", "id"]),
      preferred_username: attributes.name,
      name: attributes.display_name,
      email: attributes.mail,
    },
    roles,
  );
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
