import type { GrantType } from "../db/clients.js";
import type { ScopeRepository } from "../db/scopes.js";
import { oauthErrors } from "./oauth-error.js";

/** The `scope` parameter: space-separated names (league splits on single spaces), duplicates dropped. */
export function parseScopeParam(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  return [...new Set(raw.split(" ").filter((name) => name !== ""))];
}

/** Every scope must exist and list the grant (simple_oauth 6.x `finalizeScopes`), else `invalid_scope`. */
export function requireScopesForGrant(
  names: readonly string[],
  grant: GrantType,
  scopes: ScopeRepository,
): void {
  for (const name of names) {
    const scope = scopes.find(name);
    if (!scope || !scope.grantTypes.includes(grant)) throw oauthErrors.invalidScope(name);
  }
}

/** Scopes as stored on a token row (a JSON array of names). */
export function storedScopes(json: string): string[] {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed)
    ? parsed.filter((name): name is string => typeof name === "string")
    : [];
}
