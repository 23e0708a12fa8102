import { BffError } from "../errors/bff-error.js";
import { scopeList } from "./token-claims.js";
import type { UpstreamUser } from "./types.js";

function text(value: unknown): string | undefined {
  if (typeof value === "string" && value.length > 0) return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

/**
 * Maps OpenID Connect style claims (userinfo or JWT) to display fields. Roles come from a
 * `roles` claim when present, else from the token's `scope` (simple_oauth grants
 * scopes ∩ roles), else `fallbackRoles`.
 */
export function userFromClaims(
  claims: Record<string, unknown>,
  fallbackRoles: string[] = [],
): UpstreamUser {
  const sub = text(claims.sub);
  if (sub === undefined) {
    throw new BffError("upstream_unavailable", "The upstream's user claims have no `sub`");
  }
  const username = text(claims.preferred_username) ?? text(claims.username) ?? sub;
  const roles = rolesFromClaims(claims);
  return {
    sub,
    username,
    name: text(claims.name) ?? username,
    email: text(claims.email) ?? null,
    roles: roles.length > 0 ? roles : fallbackRoles,
  };
}

/** Scope values OpenID Connect defines (Core §5.4, §11): they ask for claims, never grant a role. */
const OIDC_SCOPES = new Set(["openid", "profile", "email", "address", "phone", "offline_access"]);

/** `roles` when the claims carry it, else the granted `scope` without OpenID Connect's own scopes. */
export function rolesFromClaims(claims: Record<string, unknown>): string[] {
  if (Array.isArray(claims.roles)) return scopeList(claims.roles);
  return scopeList(claims.scope).filter((scope) => !OIDC_SCOPES.has(scope));
}
