import { chmodSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { migrations } from "./migrations.js";

/**
 * A better-sqlite3 connection. An interface of our own rather than an alias: the package's
 * interface sits in a namespace it does not export, so declaration files could not name it.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the name is the point
export interface Database extends BetterSqlite3.Database {}

/** Opens (or creates) the SQLite file and brings its schema up to date. */
export function openDatabase(path: string): Database {
  const inMemory = path === ":memory:";
  if (!inMemory) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new BetterSqlite3(path);
  // The file holds the signing key and password hashes: readable by this user only.
  if (!inMemory) chmodSync(path, 0o600);
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  migrate(db);
  return db;
}

function migrate(db: Database): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version] ?? "");
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
