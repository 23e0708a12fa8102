import type { Role } from "../auth/permissions.js";
import type { Database } from "./database.js";
import type { GrantType } from "./clients.js";

/**
 * An OAuth scope as simple_oauth 6.x models it: it grants at most one role (`openid` grants
 * none) and lists the grants that may request it.
 */
export interface Scope {
  name: string;
  description: string;
  role: Role | null;
  grantTypes: GrantType[];
}

/** The OpenID Connect scope: asks for an `id_token`; grants no role. */
export const OPENID_SCOPE = "openid";

interface ScopeRow {
  name: string;
  description: string;
  role: Role | null;
  grant_types: string;
}

function toScope(row: ScopeRow): Scope {
  return {
    name: row.name,
    description: row.description,
    role: row.role,
    grantTypes: JSON.parse(row.grant_types) as GrantType[],
  };
}

export type ScopeRepository = ReturnType<typeof createScopeRepository>;

export function createScopeRepository(db: Database) {
  const byName = db.prepare<[string], ScopeRow>("SELECT * FROM oauth_scopes WHERE name = ?");
  const everything = db.prepare<[], ScopeRow>("SELECT * FROM oauth_scopes ORDER BY name");
  return {
    find(name: string): Scope | undefined {
      const row = byName.get(name);
      return row && toScope(row);
    },
    all(): Scope[] {
      return everything.all().map(toScope);
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
