import type { ScopeRepository } from "../db/scopes.js";
import type { Role } from "./permissions.js";

/**
 * The roles a token acts with: those its scopes grant that the user also holds now
 * (simple_oauth 6.x `TokenAuthUser::getRoles`). `openid` grants none.
 */
export function grantedRoles(
  scopeNames: readonly string[],
  userRoles: readonly Role[],
  scopes: ScopeRepository,
): Role[] {
  const granted = new Set<Role>();
  for (const name of scopeNames) {
    const scope = scopes.find(name);
    if (scope?.role && userRoles.includes(scope.role)) granted.add(scope.role);
  }
  return [...granted];
}
