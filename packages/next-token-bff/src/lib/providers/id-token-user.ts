import { BffError } from "../errors/bff-error.js";
import { unverifiedTokenClaims } from "./token-claims.js";
import type { UpstreamUser } from "./types.js";
import { rolesAt, userFromClaims } from "./user-claims.js";

/** What {@link userFromIdToken} checks an ID token against. */
export interface IdTokenExpectations {
  /** Our client id: `aud` must name it (and `azp`, when present, must be it). Required. */
  clientId: string;
  /**
   * The issuer `iss` must name (trailing slash ignored). Default: the access token's `iss` when
   * it is a JWT that has one, else `iss` is not compared.
   */
  issuer?: string;
  /** The access token of the same response: its `sub` must match. Required. */
  accessToken: string;
  /** The claim that lists the roles (`UPSTREAM_ROLES_CLAIM`, dots reach into objects). Default: `roles`. */
  rolesClaim?: string;
  /** The clock, epoch milliseconds. Default: `Date.now()`. */
  now?: number;
}

/** The display fields from an id_token; `roles` is absent when the id_token does not list them. */
export type IdTokenUser = Omit<UpstreamUser, "roles"> & { roles?: string[] };

/** The claims a sign-in shows; without any of them, userinfo is asked instead. */
const DISPLAY_CLAIMS = ["name", "preferred_username", "email"] as const;

/**
 * The signed-in person's display fields from the OpenID Connect `id_token` of a token
 * response, so the sign-in needs no userinfo call. The token came straight from the token
 * endpoint over our own connection, so (OpenID Connect Core §3.1.3.7 item 6) the server's TLS
 * certificate stands in for the signature check; the claims are still checked: `aud` (and
 * `azp`) must be our client, `iss` the expected issuer, `exp` in the future.
 *
 * Returns `undefined` (the caller then asks userinfo, as without an id_token) when there is no
 * usable id_token: absent, not a JWT, issued for someone else, expired, or missing one of
 * `sub`, `name`, `preferred_username`, `email`. Throws `misconfigured` when the id_token and a
 * JWT access token name different subjects: the same response then says two things about who
 * signed in, and neither can be believed (the code flow refuses the same way).
 *
 * Roles come from the `rolesClaim` of the id_token; without it `roles` is absent and the caller
 * asks where else the upstream lists them (never the requested scope).
 */
export function userFromIdToken(
  idToken: unknown,
  expected: IdTokenExpectations,
): IdTokenUser | undefined {
  if (typeof idToken !== "string") return undefined;
  const claims = unverifiedTokenClaims(idToken);
  if (claims === null) return undefined;
  const accessClaims = unverifiedTokenClaims(expected.accessToken);

  if (!audienceIsUs(claims, expected.clientId)) return undefined;
  const issuer = expected.issuer ?? accessClaims?.iss;
  if (typeof issuer === "string" && !sameIssuer(claims.iss, issuer)) return undefined;
  const now = expected.now ?? Date.now();
  if (typeof claims.exp !== "number" || !(claims.exp * 1000 > now)) return undefined;
  if (typeof claims.sub !== "string" || claims.sub.length === 0) return undefined;

  const accessSub = accessClaims?.sub;
  if (accessSub !== undefined && accessSub !== claims.sub) {
    throw new BffError(
      "misconfigured",
      "The id_token and the access token name different subjects",
    );
  }
  if (DISPLAY_CLAIMS.some((name) => !isText(claims[name]))) return undefined;
  const { sub, name, username, email } = userFromClaims(claims, []);
  const user = { sub, name, username, email };
  const roles = rolesAt(claims, expected.rolesClaim);
  return roles === undefined ? user : { ...user, roles };
}

function audienceIsUs(claims: Record<string, unknown>, clientId: string): boolean {
  const { aud, azp } = claims;
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(clientId)) return false;
  return azp === undefined || azp === clientId;
}

function sameIssuer(actual: unknown, expected: string): boolean {
  const trim = (value: string) => value.replace(/\/+$/, "");
  return typeof actual === "string" && trim(actual) === trim(expected);
}

function isText(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}
