import { randomBytes, randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import type { TokenRepository } from "../db/tokens.js";
import type { User } from "../db/users.js";
import { sha256 } from "./hash.js";
import type { Role } from "./permissions.js";
import type { SigningKey } from "./signing-key.js";

/** The body of a successful token response, in simple_oauth's member order and without `scope`. */
export interface TokenResponse {
  token_type: "Bearer";
  expires_in: number;
  access_token: string;
  refresh_token?: string;
  /** OpenID Connect: only when the token has the `openid` scope. */
  id_token?: string;
}

/** The signed-in user an OpenID Connect ID token describes. */
export interface IdTokenRequest {
  /** The client id as the wire shows it (`wireClientId`): the ID token's `aud`. */
  audience: string;
  user: Pick<User, "uid" | "name" | "mail">;
  /** When the user entered the password (seconds). */
  authTime: number | undefined;
  /** The `nonce` of the authorization request, when there was one. */
  nonce: string | undefined;
  /** The roles the token acts with (`grantedRoles`), as userinfo's `roles` extension shows them. */
  roles: readonly Role[];
}

export interface IssueRequest {
  clientId: string;
  /** The client id as the wire shows it (`wireClientId`): the access token's `aud`. Default: `clientId`. */
  audience?: string;
  uid: number | null;
  scopes: string[];
  withRefreshToken: boolean;
  /** Refresh rotations stay in the family of the token they replace. */
  family?: string;
}

export interface TokenIssuerOptions {
  tokens: TokenRepository;
  key: SigningKey;
  issuer: string;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  /** simple_oauth 5.x writes no `iss` claim (drupal-wire A.1, A.4); 6.0.9 does. */
  withIssuerClaim: boolean;
}

export type TokenIssuer = ReturnType<typeof createTokenIssuer>;

/** Tokens whose rows are stored but whose JWT is not signed yet (see `reserve`). */
export interface ReservedTokens {
  claims: Record<string, unknown>;
  jti: string;
  refreshToken: string | undefined;
}

export function createTokenIssuer(options: TokenIssuerOptions) {
  const { tokens, key, issuer, accessTokenTtl, refreshTokenTtl, withIssuerClaim } = options;

  /**
   * Stores the new token rows synchronously, so a caller can do it inside its own SQLite
   * transaction (refresh rotation claims the old token and stores the new pair in one step).
   */
  function reserve(request: IssueRequest): ReservedTokens {
    const now = Date.now() / 1000;
    const iat = Math.floor(now);
    // league/lcobucci write `exp` with microseconds; clients must parse it as a float.
    const exp = Number((now + accessTokenTtl).toFixed(6));
    const jti = randomBytes(40).toString("hex");
    // Opaque like simple_oauth's defuse ciphertexts (hex, `def502` prefix, ~800 characters).
    const refreshToken = request.withRefreshToken
      ? `def50200${randomBytes(400).toString("hex")}`
      : undefined;
    const family = request.family ?? randomUUID();

    tokens.transaction(() => {
      const accessId = tokens.insert({
        kind: "access",
        valueHash: sha256(jti),
        family,
        clientId: request.clientId,
        uid: request.uid,
        scopes: request.scopes,
        expires: Math.ceil(exp),
      });
      if (refreshToken) {
        tokens.insert({
          kind: "refresh",
          valueHash: sha256(refreshToken),
          family,
          clientId: request.clientId,
          uid: request.uid,
          scopes: request.scopes,
          accessTokenId: accessId,
          expires: iat + refreshTokenTtl,
        });
      }
    });

    const claims: Record<string, unknown> = {
      aud: request.audience ?? request.clientId,
      jti,
      iat,
      nbf: iat,
      exp,
      ...(request.uid !== null ? { sub: String(request.uid) } : {}),
      scope: request.scopes,
      ...(withIssuerClaim ? { iss: issuer } : {}),
    };
    return { claims, jti, refreshToken };
  }

  /** Signs the access token of reserved rows and builds the token response body. */
  async function sign(reserved: ReservedTokens): Promise<TokenResponse> {
    const accessToken = await new SignJWT(reserved.claims)
      .setProtectedHeader({ typ: "JWT", alg: "RS256", jti: reserved.jti })
      .sign(key.privateKey);
    return {
      token_type: "Bearer",
      expires_in: accessTokenTtl,
      access_token: accessToken,
      ...(reserved.refreshToken ? { refresh_token: reserved.refreshToken } : {}),
    };
  }

  /**
   * An OpenID Connect ID token (RS256, same key as the access tokens): `aud` is the client,
   * `sub` the uid, the profile claims as on /oauth/userinfo, including its `roles` extension
   * (not in simple_oauth; OIDC clients ignore unknown claims). It lives as long as an access token.
   */
  async function signIdToken(request: IdTokenRequest): Promise<string> {
    const iat = Math.floor(Date.now() / 1000);
    const { user } = request;
    const claims: Record<string, unknown> = {
      iss: issuer,
      sub: String(user.uid),
      aud: request.audience,
      exp: iat + accessTokenTtl,
      iat,
      ...(request.authTime !== undefined ? { auth_time: request.authTime } : {}),
      ...(request.nonce !== undefined ? { nonce: request.nonce } : {}),
      name: user.name,
      preferred_username: user.name,
      ...(user.mail !== null ? { email: user.mail, email_verified: true } : {}),
      roles: request.roles,
    };
    return new SignJWT(claims)
      .setProtectedHeader({ typ: "JWT", alg: "RS256" })
      .sign(key.privateKey);
  }

  return {
    reserve,
    sign,
    signIdToken,
    async issue(request: IssueRequest): Promise<TokenResponse> {
      return sign(reserve(request));
    },
  };
}
