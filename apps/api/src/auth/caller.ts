import type { User } from "../db/users.js";
import type { Permission, Role } from "./permissions.js";

/** Who is making a request: anonymous (no bearer token) or a user acting through a token. */
export type Caller =
  | { kind: "anonymous"; permissions: ReadonlySet<Permission> }
  | {
      kind: "user";
      user: User;
      clientId: string;
      scopes: string[];
      /** Roles both granted by the token's scopes and held by the user now. */
      roles: Role[];
      permissions: ReadonlySet<Permission>;
    };

export const anonymous: Caller = { kind: "anonymous", permissions: new Set() };

export function can(caller: Caller, permission: Permission): boolean {
  return caller.permissions.has(permission);
}
