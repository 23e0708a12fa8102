import type { OAuthConfig } from "next-auth/providers/oauth";
import type { BffConfig } from "../config/bff-config.js";
import { BffError } from "../errors/bff-error.js";
import { discoveryUrl } from "../providers/oidc.js";
import { unverifiedTokenClaims } from "../providers/token-claims.js";
import { readTokenResponse } from "../providers/token-response.js";
import type { UpstreamProvider, UpstreamTokens, UpstreamUser } from "../providers/types.js";
import { type SignedInUser, signedInUser } from "./signed-in-user.js";

/** The next-auth provider id: the redirect URI is `<NEXTAUTH_URL>/api/auth/callback/upstream`. */
export const CODE_FLOW_PROVIDER_ID = "upstream";

/** What the userinfo step hands to `profile`: the same pair the password sign-in produces. */
export interface CodeFlowProfile extends Record<string, unknown> {
  /** The upstream's subject identifier for the user. */
  sub: string;
  /** The user's display fields, as `provider.fetchUser` returned them. */
  upstreamUser: UpstreamUser;
  /** The tokens the code exchange returned. */
  upstreamTokens: UpstreamTokens;
}

/** Options of {@link createCodeFlowProvider}. */
export interface CodeFlowProviderOptions {
  /** The checked configuration: upstream kind, URLs, client and scope. Required. */
  config: BffConfig;
  /** The upstream provider whose `fetchUser` reads the user after the code exchange. Required. */
  provider: UpstreamProvider;
}

/** The code flow's scopes: the configured ones, with `openid` first when the upstream speaks OIDC. */
export function codeFlowScope(scope: string, openid: boolean): string {
  const scopes = scope.split(/\s+/).filter((item) => item.length > 0 && item !== "openid");
  return (openid ? ["openid", ...scopes] : scopes).join(" ");
}

/**
 * A next-auth v4 OAuth provider for the authorization code flow with PKCE (S256) and `state`
 * (+ `nonce` and a verified `id_token` for OpenID Connect upstreams), client authentication by
 * `client_secret_post`. Drupal and `oidc` upstreams are configured from their discovery document;
 * an `oauth2` upstream from `UPSTREAM_AUTHORIZATION_URL` and `UPSTREAM_TOKEN_URL`.
 *
 * The tokens and the display fields come from the same code as the password sign-in
 * (`readTokenResponse`, `provider.fetchUser`), and `profile` returns the same `SignedInUser`,
 * so the `jwt` callback stores the same claims and refresh, proxy and sign-out cannot tell the
 * two sign-ins apart.
 */
export function createCodeFlowProvider({
  config,
  provider,
}: CodeFlowProviderOptions): OAuthConfig<CodeFlowProfile> {
  const { upstream } = config;
  const openid = upstream.kind !== "oauth2";
  const scope = codeFlowScope(upstream.scope, openid);
  const endpoints: Partial<OAuthConfig<CodeFlowProfile>> = openid
    ? { wellKnown: discoveryUrl(upstream.baseUrl), authorization: { params: { scope } } }
    : {
        authorization: { url: upstream.authorizationUrl, params: { scope } },
        token: upstream.tokenUrl ?? new URL("token", upstream.baseUrl).href,
      };

  return {
    id: CODE_FLOW_PROVIDER_ID,
    name: upstream.name,
    type: "oauth",
    ...endpoints,
    clientId: upstream.clientId,
    clientSecret: upstream.clientSecret,
    client: { token_endpoint_auth_method: "client_secret_post" },
    checks: openid ? ["pkce", "state", "nonce"] : ["pkce", "state"],
    idToken: openid,
    userinfo: {
      // Called instead of next-auth's own userinfo request, also when an id_token came back.
      async request({ tokens }) {
        const fields = { ...tokens } as Record<string, unknown>;
        // openid-client turns `expires_in` into `expires_at` (epoch seconds).
        const expiresAt = fields.expires_at;
        const expiresIn =
          typeof expiresAt === "number" ? expiresAt - Math.floor(Date.now() / 1000) : undefined;
        const upstreamTokens = readTokenResponse(
          {
            ...fields,
            expires_in: expiresIn !== undefined && expiresIn > 0 ? expiresIn : undefined,
          },
          { refreshTokenLifetimeSeconds: upstream.refreshTokenLifetimeSeconds },
        );
        // The id_token was verified by openid-client (signature, iss, aud, exp, nonce): the
        // provider may take the person from it (a server whose access tokens are meant for an
        // API, not for userinfo, leaves no other way).
        const idToken = fields.id_token;
        const upstreamUser = await provider.fetchUser(
          upstreamTokens,
          typeof idToken === "string" ? { idToken } : {},
        );
        // OpenID Connect Core §5.3.2: userinfo must be about the id_token's subject.
        if (
          typeof idToken === "string" &&
          unverifiedTokenClaims(idToken)?.sub !== upstreamUser.sub
        ) {
          throw new BffError("misconfigured", "userinfo and id_token name different subjects");
        }
        const profile: CodeFlowProfile = { sub: upstreamUser.sub, upstreamUser, upstreamTokens };
        return profile;
      },
    },
    profile(profile): SignedInUser {
      return signedInUser(profile.upstreamUser, profile.upstreamTokens);
    },
  };
}
