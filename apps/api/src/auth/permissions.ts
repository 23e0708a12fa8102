/**
 * Roles and the permissions they grant, named as in Drupal core so the reference API's
 * 403 messages read like Drupal's. A token's effective permissions are those of the roles
 * that both its scopes grant and the user currently has (simple_oauth 6.x `TokenAuthUser`).
 */
export const roles = ["reader", "editor", "administrator"] as const;
export type Role = (typeof roles)[number];

export type Permission =
  | "access content"
  | "view own unpublished content"
  | "create article content"
  | "edit own article content"
  | "delete own article content"
  | "edit any article content"
  | "delete any article content"
  | "bypass node access"
  | "access user profiles"
  | "administer users";

const readerPermissions: Permission[] = ["access content"];

const rolePermissions: Record<Role, readonly Permission[]> = {
  reader: readerPermissions,
  editor: [
    ...readerPermissions,
    "view own unpublished content",
    "create article content",
    "edit own article content",
    "delete own article content",
  ],
  administrator: [
    ...readerPermissions,
    "view own unpublished content",
    "create article content",
    "edit own article content",
    "delete own article content",
    "edit any article content",
    "delete any article content",
    "bypass node access",
    "access user profiles",
    "administer users",
  ],
};

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

export function permissionsOf(grantedRoles: Iterable<Role>): ReadonlySet<Permission> {
  const permissions = new Set<Permission>();
  for (const role of grantedRoles) for (const p of rolePermissions[role]) permissions.add(p);
  return permissions;
}
