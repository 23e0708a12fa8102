import { existsSync } from "node:fs";
import type { ApiConfig } from "../config.js";
import { openDatabase, type Database } from "../db/database.js";
import { createUserRepository, type UserWithHash } from "../db/users.js";
import { CommandFailure } from "./errors.js";

/** Opens the configured database; commands that change existing users need it to exist already. */
export async function withDatabase<T>(
  config: ApiConfig,
  mustExist: boolean,
  fn: (db: Database) => T | Promise<T>,
): Promise<T> {
  const path = config.databasePath;
  if (mustExist && path !== ":memory:" && !existsSync(path)) {
    throw new CommandFailure(`No database at ${path} (set DATABASE_PATH).`);
  }
  const db = openDatabase(path);
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

export function findUser(db: Database, name: string): UserWithHash {
  const user = createUserRepository(db).findByNameOrMail(name);
  if (!user) throw new CommandFailure(`No user named "${name}".`);
  return user;
}
