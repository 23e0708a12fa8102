import { BffError } from "../errors/bff-error.js";
import { scopeList } from "./token-claims.js";
import type { UpstreamUser } from "./types.js";

function text(value: unknown): string | undefined {
  if (typeof value === "string" && value.length > 0) return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

/**
 * Maps OpenID Connect style claims (userinfo, an id_token, a JWT) to display fields. The roles
 * are the caller's: read with {@link rolesAt} from whatever the upstream says about the person,
 * never from the scope that was asked for.
 */
export function userFromClaims(claims: Record<string, unknown>, roles: string[]): UpstreamUser {
  const sub = text(claims.sub);
  if (sub === undefined) {
    throw new BffError("upstream_unavailable", "The upstream's user claims have no `sub`");
  }
  const username = text(claims.preferred_username) ?? text(claims.username) ?? sub;
  return {
    sub,
    username,
    name: text(claims.name) ?? username,
    email: text(claims.email) ?? null,
    roles,
  };
}

/** Drupal gives every account these; they say nothing about what the person may do. */
const IMPLIED_ROLES = new Set(["authenticated", "anonymous"]);

/**
 * The roles a claim lists (`UPSTREAM_ROLES_CLAIM`): the value at `path`, where dots reach into
 * objects (`realm_access.roles`), as an array of strings or a space-separated string. Undefined
 * when the claims do not have it (the caller may ask elsewhere, else shows no roles).
 */
export function rolesAt(claims: unknown, path = "roles"): string[] | undefined {
  let value: unknown = claims;
  for (const key of path.split(".")) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  if (!Array.isArray(value) && typeof value !== "string") return undefined;
  return scopeList(value).filter((role) => !IMPLIED_ROLES.has(role));
}
