import { z } from "zod";
import { BffError } from "../errors/bff-error.js";
import { noRefreshToken } from "./no-refresh-token.js";
import { unverifiedTokenClaims } from "./token-claims.js";
import type { UpstreamTokens } from "./types.js";

// Unknown members (`scope`, `message`, `id_token` …) are ignored: upstreams differ there.
const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.coerce.number().positive().optional(),
  refresh_expires_in: z.coerce.number().positive().optional(),
});

/** Options of {@link readTokenResponse}. */
export interface TokenLifetimes {
  /** Used when the response says nothing about the refresh token. Seconds. Default: unknown. */
  refreshTokenLifetimeSeconds?: number;
  /**
   * The refresh token just spent, when reading a refresh answer: RFC 6749 §6 lets the server
   * leave `refresh_token` out, and the client then keeps using this one. Default: none (a sign-in).
   */
  previousRefreshToken?: string;
}

/**
 * Reads an RFC 6749 §5.1 token response. The access token's expiry comes from `expires_in`,
 * else from the JWT's `exp` (a float on simple_oauth), else it is treated as already due.
 * Without a `refresh_token` a refresh keeps the previous one; a sign-in gets a stand-in
 * (`noRefreshToken`) and a session that ends with the access token.
 */
export function readTokenResponse(
  body: unknown,
  lifetimes: TokenLifetimes = {},
  now = Date.now(),
): UpstreamTokens {
  const parsed = tokenResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw new BffError("upstream_unavailable", "The token endpoint answered 200 without tokens");
  }
  const { access_token, refresh_token, expires_in, refresh_expires_in } = parsed.data;
  const accessTokenExpiresAt =
    expires_in !== undefined ? now + expires_in * 1000 : expiryFromClaims(access_token, now);
  const refreshToken = refresh_token ?? lifetimes.previousRefreshToken;
  if (refreshToken === undefined) {
    return {
      accessToken: access_token,
      accessTokenExpiresAt,
      refreshToken: noRefreshToken(),
      refreshTokenExpiresAt: accessTokenExpiresAt,
    };
  }
  const refreshSeconds = refresh_expires_in ?? lifetimes.refreshTokenLifetimeSeconds;
  return {
    accessToken: access_token,
    accessTokenExpiresAt,
    refreshToken,
    refreshTokenExpiresAt: refreshSeconds !== undefined ? now + refreshSeconds * 1000 : null,
  };
}

function expiryFromClaims(accessToken: string, now: number): number {
  const exp = unverifiedTokenClaims(accessToken)?.exp;
  return typeof exp === "number" && Number.isFinite(exp) ? Math.floor(exp * 1000) : now;
}
