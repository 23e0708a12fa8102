import { randomBytes } from "node:crypto";
import type { Database } from "./database.js";
import { nowSeconds } from "./database.js";

/**
 * A random 32-byte secret kept in the database under `name`, created on first use. Every
 * instance on the same database shares it, so what one signs the others accept.
 */
export function loadSecret(db: Database, name: string): Buffer {
  db.prepare("INSERT OR IGNORE INTO secrets (name, value, created) VALUES (?, ?, ?)").run(
    name,
    randomBytes(32).toString("base64url"),
    nowSeconds(),
  );
  const row = db
    .prepare<[string], { value: string }>("SELECT value FROM secrets WHERE name = ?")
    .get(name);
  if (!row) throw new Error(`secret ${name} could not be stored`);
  return Buffer.from(row.value, "base64url");
}
