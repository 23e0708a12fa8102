import { randomUUID } from "node:crypto";
import type { Role } from "../auth/permissions.js";
import { isRole } from "../auth/permissions.js";
import type { Database } from "./database.js";
import { nowSeconds } from "./database.js";

export interface User {
  uid: number;
  uuid: string;
  name: string;
  mail: string | null;
  status: boolean;
  roles: Role[];
  created: number;
  changed: number;
}

export interface UserWithHash extends User {
  pass: string;
}

interface UserRow {
  uid: number;
  uuid: string;
  name: string;
  mail: string | null;
  pass: string;
  status: number;
  roles: string;
  created: number;
  changed: number;
}

function toUser(row: UserRow): UserWithHash {
  const parsed: unknown = JSON.parse(row.roles);
  const roleList = Array.isArray(parsed)
    ? parsed.filter((r): r is Role => typeof r === "string" && isRole(r))
    : [];
  return { ...row, status: row.status === 1, roles: roleList };
}

export type UserRepository = ReturnType<typeof createUserRepository>;

export function createUserRepository(db: Database) {
  const byUid = db.prepare<[number], UserRow>("SELECT * FROM users WHERE uid = ?");
  const byUuid = db.prepare<[string], UserRow>("SELECT * FROM users WHERE uuid = ?");
  const byName = db.prepare<[string], UserRow>("SELECT * FROM users WHERE name = ?");
  const byMail = db.prepare<[string], UserRow>("SELECT * FROM users WHERE mail = ?");

  return {
    findByUid(uid: number): UserWithHash | undefined {
      const row = byUid.get(uid);
      return row && toUser(row);
    },
    findByUuid(uuid: string): UserWithHash | undefined {
      const row = byUuid.get(uuid);
      return row && toUser(row);
    },
    /** Like simple_oauth_password_grant: a name containing `@` is looked up by e-mail first. */
    findByNameOrMail(nameOrMail: string): UserWithHash | undefined {
      const row =
        (nameOrMail.includes("@") ? byMail.get(nameOrMail) : undefined) ?? byName.get(nameOrMail);
      return row && toUser(row);
    },
    create(input: {
      name: string;
      mail: string | null;
      passHash: string;
      roles: Role[];
    }): UserWithHash {
      const now = nowSeconds();
      const result = db
        .prepare(
          "INSERT INTO users (uuid, name, mail, pass, status, roles, created, changed) VALUES (?, ?, ?, ?, 1, ?, ?, ?)",
        )
        .run(
          randomUUID(),
          input.name,
          input.mail,
          input.passHash,
          JSON.stringify(input.roles),
          now,
          now,
        );
      return this.findByUid(Number(result.lastInsertRowid)) as UserWithHash;
    },
    setPassword(uid: number, passHash: string): void {
      db.prepare("UPDATE users SET pass = ?, changed = ? WHERE uid = ?").run(
        passHash,
        nowSeconds(),
        uid,
      );
    },
    setStatus(uid: number, active: boolean): void {
      db.prepare("UPDATE users SET status = ?, changed = ? WHERE uid = ?").run(
        active ? 1 : 0,
        nowSeconds(),
        uid,
      );
    },
    setRoles(uid: number, newRoles: Role[]): void {
      db.prepare("UPDATE users SET roles = ?, changed = ? WHERE uid = ?").run(
        JSON.stringify(newRoles),
        nowSeconds(),
        uid,
      );
    },
    count(): number {
      return (db.prepare("SELECT COUNT(*) AS n FROM users").get() as { n: number }).n;
    },
  };
}

/** The user without its password hash, for everything that leaves the repository. */
export function publicUser(user: UserWithHash): User {
  const { pass: _pass, ...rest } = user;
  return rest;
}
