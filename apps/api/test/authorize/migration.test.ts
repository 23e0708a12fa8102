import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.js";
import { migrations } from "../../src/db/migrations.js";
import { createClientRepository } from "../../src/db/clients.js";
import { createScopeRepository } from "../../src/db/scopes.js";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("migration 2 on a database of the first release", () => {
  it("keeps scopes and clients, adds the code-flow columns, the openid scope and the tables", () => {
    dir = mkdtempSync(join(tmpdir(), "reference-api-migration-"));
    const path = join(dir, "old.sqlite");
    const old = new BetterSqlite3(path);
    old.exec(migrations[0] ?? "");
    old.pragma("user_version = 1");
    old
      .prepare(
        "INSERT INTO oauth_scopes (name, description, role, grant_types) VALUES (?, ?, ?, ?)",
      )
      .run("editor", "Act with the editor role", "editor", '["password"]');
    old
      .prepare(
        `INSERT INTO oauth_clients (client_id, uuid, label, secret_hash, confidential, grant_types, created)
         VALUES ('old', 'u-1', 'Old client', NULL, 0, '["password"]', 0)`,
      )
      .run();
    old.close();

    const db = openDatabase(path);
    try {
      expect(db.pragma("user_version", { simple: true })).toBe(migrations.length);
      const scopes = createScopeRepository(db);
      expect(scopes.find("editor")).toStrictEqual({
        name: "editor",
        description: "Act with the editor role",
        role: "editor",
        grantTypes: ["password"],
      });
      expect(scopes.find("openid")).toMatchObject({
        role: null,
        grantTypes: ["authorization_code", "refresh_token"],
      });
      expect(createClientRepository(db).find("old")).toMatchObject({
        redirectUris: [],
        automaticAuthorization: false,
      });
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .all()
        .map((row) => (row as { name: string }).name);
      expect(tables).toEqual(expect.arrayContaining(["oauth_authorization_codes", "secrets"]));
    } finally {
      db.close();
    }
  });
});
