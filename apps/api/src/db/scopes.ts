import type { Role } from "../auth/permissions.js";
import type { Database } from "./database.js";
import type { GrantType } from "./clients.js";

/** An OAuth scope as simple_oauth 6.x models it: it grants one role and lists the grants that may request it. */
export interface Scope {
  name: string;
  description: string;
  role: Role;
  grantTypes: GrantType[];
}

export type ScopeRepository = ReturnType<typeof createScopeRepository>;

export function createScopeRepository(db: Database) {
  const byName = db.prepare<
    [string],
    { name: string; description: string; role: Role; grant_types: string }
  >("SELECT * FROM oauth_scopes WHERE name = ?");
  return {
    find(name: string): Scope | undefined {
      const row = byName.get(name);
      return row && { ...row, grantTypes: JSON.parse(row.grant_types) as GrantType[] };
    },
    upsert(scope: Scope): void {
      db.prepare(
        `INSERT INTO oauth_scopes (name, description, role, grant_types) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET description = excluded.description, role = excluded.role,
           grant_types = excluded.grant_types`,
      ).run(scope.name, scope.description, scope.role, JSON.stringify(scope.grantTypes));
    },
  };
}
