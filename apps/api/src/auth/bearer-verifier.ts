import { errors as joseErrors, jwtVerify } from "jose";
import type { ClientRepository } from "../db/clients.js";
import type { ScopeRepository } from "../db/scopes.js";
import type { Compat } from "../oauth/compat.js";
import type { TokenRepository } from "../db/tokens.js";
import type { UserRepository } from "../db/users.js";
import { publicUser } from "../db/users.js";
import type { Caller } from "./caller.js";
import { anonymous } from "./caller.js";
import { grantedRoles } from "./granted-roles.js";
import { sha256 } from "./hash.js";
import { permissionsOf } from "./permissions.js";
import type { SigningKey } from "./signing-key.js";

/** A bearer token that must be refused with 401; `hint` becomes the challenge's `error_description`. */
export class BearerTokenError extends Error {
  override name = "BearerTokenError";
  constructor(readonly hint: string) {
    super(hint);
  }
}

export interface BearerVerifierOptions {
  key: SigningKey;
  issuer: string;
  tokens: TokenRepository;
  users: UserRepository;
  scopes: ScopeRepository;
  clients: ClientRepository;
  compat: Compat;
}

export type BearerVerifier = ReturnType<typeof createBearerVerifier>;

/**
 * Checks an `Authorization` header the way simple_oauth's resource server does: signature
 * (RS256 with our own key only), time window, then the `jti` must be known and not revoked.
 * No header means anonymous; a header with another scheme is ignored, as Drupal does.
 */
export function createBearerVerifier(options: BearerVerifierOptions) {
  const { key, issuer, tokens, users, scopes, clients, compat } = options;

  return {
    async verify(authorization: string | undefined): Promise<Caller> {
      const match = authorization?.match(/^\s*bearer\s+(\S*)\s*$/i);
      if (!match) return anonymous;
      const token = match[1] ?? "";
      if (token.split(".").length !== 3) {
        throw new BearerTokenError("The JWT string must have two dots");
      }

      let payload;
      try {
        ({ payload } = await jwtVerify(token, key.publicKey, {
          algorithms: ["RS256"],
          // simple_oauth 5.x tokens carry no `iss` (drupal-wire A.1).
          ...(compat === 6 ? { issuer } : {}),
          typ: "JWT",
          requiredClaims: ["jti", "exp", "aud", "iat"],
        }));
      } catch (error) {
        if (error instanceof joseErrors.JOSEError) {
          throw new BearerTokenError("Access token could not be verified");
        }
        throw error;
      }

      const jti = typeof payload.jti === "string" ? payload.jti : "";
      const row = tokens.find("access", sha256(jti));
      if (!row || row.revoked === 1 || row.expires < Date.now() / 1000) {
        throw new BearerTokenError("Access token has been revoked");
      }
      // The audience must be the client the token was issued to (not merely any client).
      // In 5.x mode that is the client's UUID (drupal-wire A.4); only then is it looked up.
      const audience = compat === 5 ? clients.find(row.client_id)?.uuid : row.client_id;
      if (
        audience === undefined ||
        payload.aud !== audience ||
        (payload.sub ?? null) !== (row.uid === null ? null : String(row.uid))
      ) {
        throw new BearerTokenError("Access token could not be verified");
      }
      if (row.uid === null) throw new BearerTokenError("Access token has no user");

      const user = users.findByUid(row.uid);
      if (!user || !user.status) {
        tokens.revokeUser(row.uid);
        throw new BearerTokenError(
          `The user ${user?.uid ?? row.uid} has been blocked or has not been activated.`,
        );
      }

      const tokenScopes = JSON.parse(row.scopes) as string[];
      const roles = grantedRoles(tokenScopes, user.roles, scopes);
      return {
        kind: "user",
        user: publicUser(user),
        clientId: row.client_id,
        scopes: tokenScopes,
        roles,
        permissions: permissionsOf(roles),
      };
    },
  };
}
