import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BearerTokenError } from "../../src/auth/bearer-verifier.js";
import { sha256 } from "../../src/auth/hash.js";
import { verifyPassword } from "../../src/auth/passwords.js";
import { startTestApi, WEB_CLIENT, type TestApi } from "../helpers/test-api.js";
import { buildCli, runCliProcess, type CliResult } from "./helpers.js";
import { ifStarted } from "../../../../test-support/hooks.js";

let cliPath: string;
let dir: string;
let databasePath: string;
let api: TestApi;

beforeAll(async () => {
  cliPath = await buildCli();
  dir = mkdtempSync(join(tmpdir(), "reference-api-cli-"));
  databasePath = join(dir, "api.sqlite");
  // A running API (with demo data) on the same SQLite file the CLI changes.
  api = await startTestApi({}, { databasePath });
}, 240_000);

afterAll(async () => {
  await ifStarted(api)?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCliProcess(cliPath, args, { DATABASE_PATH: databasePath, ...env });
}

function user(name: string) {
  const found = api.services.users.findByNameOrMail(name);
  if (!found) throw new Error(`no user ${name}`);
  return found;
}

function tokenRows(uid: number) {
  return api.services.db
    .prepare("SELECT kind, revoked FROM oauth_tokens WHERE uid = ? ORDER BY id")
    .all(uid) as { kind: "access" | "refresh"; revoked: number }[];
}

async function issueFor(uid: number) {
  return api.services.issuer.issue({
    clientId: WEB_CLIENT.id,
    uid,
    scopes: ["editor"],
    withRefreshToken: true,
  });
}

async function verifyError(accessToken: string): Promise<unknown> {
  return api.services.verifier.verify(`Bearer ${accessToken}`).then(
    () => undefined,
    (error: unknown) => error,
  );
}

async function tokenRequest(params: Record<string, string>): Promise<Response> {
  const response = await fetch(`${api.url}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params),
  });
  await response.text();
  return response;
}

describe("user:add", () => {
  it("creates an active user with the given password and roles", async () => {
    const result = await cli([
      "user:add",
      "carol",
      "--mail",
      "carol@example.com",
      "--role",
      "editor,reader",
      "--password",
      "carol-password",
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Added user carol");
    expect(result.stdout).not.toContain("carol-password");

    const carol = user("carol");
    expect(carol.mail).toBe("carol@example.com");
    expect(carol.status).toBe(true);
    expect(carol.roles).toEqual(["editor", "reader"]);
    expect(await verifyPassword(carol.pass, "carol-password")).toBe(true);
  });

  it("takes the password from NEW_PASSWORD without printing it", async () => {
    const result = await cli(
      ["user:add", "dave", "--mail", "dave@example.com", "--role", "reader"],
      {
        NEW_PASSWORD: "from-the-environment",
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toContain("from-the-environment");
    expect(result.stdout).not.toContain("Generated password");
    expect(await verifyPassword(user("dave").pass, "from-the-environment")).toBe(true);
  });

  it("generates a password and prints it once when none is given", async () => {
    const result = await cli([
      "user:add",
      "erin",
      "--mail",
      "erin@example.com",
      "--role",
      "reader",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const printed = result.stdout.match(/Generated password \(shown once\): (\S+)/)?.[1];
    expect(printed).toBeDefined();
    expect(printed?.length).toBeGreaterThanOrEqual(20);
    expect(result.stdout.split(printed ?? "").length).toBe(2);
    expect(await verifyPassword(user("erin").pass, printed ?? "")).toBe(true);
  });

  it("refuses a duplicate name or e-mail with exit code 1", async () => {
    const byName = await cli([
      "user:add",
      "alice",
      "--mail",
      "new@example.com",
      "--role",
      "reader",
    ]);
    expect(byName.code).toBe(1);
    expect(byName.stderr).toContain("exists");
    const byMail = await cli([
      "user:add",
      "frank",
      "--mail",
      "alice@example.com",
      "--role",
      "reader",
    ]);
    expect(byMail.code).toBe(1);
    expect(byMail.stderr).toContain("alice@example.com");
  });

  it("answers bad usage with exit code 2 and a message on stderr", async () => {
    const cases: [string[], string][] = [
      [["user:add", "gina", "--role", "reader"], "--mail is required"],
      [["user:add", "gina", "--mail", "gina@example.com"], "--role is required"],
      [["user:add", "gina", "--mail", "gina@example.com", "--role", "boss"], 'unknown role "boss"'],
      [["user:add", "gina", "--mail", "not-a-mail", "--role", "reader"], "not an e-mail address"],
      [["user:add", "--mail", "gina@example.com", "--role", "reader"], "missing <name>"],
      [["user:add", "gina", "--mail", "g@example.com", "--role", "reader", "--bogus"], "--bogus"],
      [["user:block"], "missing <name>"],
      [["user:block", "alice", "bob"], 'unexpected argument "bob"'],
      [["user:frobnicate"], 'unknown command "user:frobnicate"'],
    ];
    for (const [args, message] of cases) {
      const result = await cli(args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toContain(message);
      expect(result.stderr).toContain("--help");
    }
    expect(api.services.users.findByNameOrMail("gina")).toBeUndefined();
  });
});

describe("user:password", () => {
  it("sets a new password and revokes the user's access tokens only", async () => {
    const carol = user("carol");
    const before = await issueFor(carol.uid);
    await expect(api.services.verifier.verify(`Bearer ${before.access_token}`)).resolves.toEqual(
      expect.objectContaining({ kind: "user" }),
    );

    const result = await cli(["user:password", "carol"], { NEW_PASSWORD: "carol-new-password" });
    expect(result.code, result.stderr).toBe(0);
    const updated = user("carol");
    expect(await verifyPassword(updated.pass, "carol-new-password")).toBe(true);
    expect(await verifyPassword(updated.pass, "carol-password")).toBe(false);
    expect(await verifyError(before.access_token)).toBeInstanceOf(BearerTokenError);
    // Drupal deletes access tokens on a user save; the refresh token stays usable.
    expect(tokenRows(carol.uid)).toEqual([
      { kind: "access", revoked: 1 },
      { kind: "refresh", revoked: 0 },
    ]);
  });

  it("fails with exit code 1 for an unknown user", async () => {
    const result = await cli(["user:password", "nobody"], { NEW_PASSWORD: "whatever-password" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No user named "nobody"');
  });
});

describe("user:block / user:unblock", () => {
  it("A13 blocks a user and revokes every token it has, while the API runs", async () => {
    const alice = user("alice");
    const first = await issueFor(alice.uid);
    const second = await issueFor(alice.uid);
    for (const token of [first, second]) {
      await expect(api.services.verifier.verify(`Bearer ${token.access_token}`)).resolves.toEqual(
        expect.objectContaining({ kind: "user" }),
      );
    }
    const rowsBefore = tokenRows(alice.uid);
    expect(rowsBefore.length).toBeGreaterThanOrEqual(4);

    const result = await cli(["user:block", "alice"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`revoked ${rowsBefore.length} token row(s)`);

    expect(user("alice").status).toBe(false);
    expect(tokenRows(alice.uid).every((row) => row.revoked === 1)).toBe(true);
    for (const token of [first, second]) {
      expect(await verifyError(token.access_token)).toBeInstanceOf(BearerTokenError);
    }
    // The running API refuses the token over HTTP too.
    const response = await fetch(`${api.url}/jsonapi/node/article`, {
      headers: { authorization: `Bearer ${first.access_token}` },
    });
    expect(response.status).toBe(401);
    await response.body?.cancel();
  });

  it("unblocks: the user may sign in again, its old tokens stay revoked", async () => {
    const alice = user("alice");
    const oldRows = tokenRows(alice.uid).length;
    const result = await cli(["user:unblock", "alice"]);
    expect(result.code, result.stderr).toBe(0);
    expect(user("alice").status).toBe(true);
    expect(tokenRows(alice.uid).every((row) => row.revoked === 1)).toBe(true);

    const fresh = await issueFor(alice.uid);
    await expect(api.services.verifier.verify(`Bearer ${fresh.access_token}`)).resolves.toEqual(
      expect.objectContaining({ kind: "user" }),
    );
    expect(tokenRows(alice.uid)).toHaveLength(oldRows + 2);
  });

  it("fails with exit code 1 for an unknown user or a missing database", async () => {
    const unknown = await cli(["user:block", "nobody"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No user named "nobody"');

    const missing = await runCliProcess(cliPath, ["user:block", "alice"], {
      DATABASE_PATH: join(dir, "does-not-exist.sqlite"),
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("No database at");
  });
});

describe("user:revoke-tokens", () => {
  it("A13 revokes all tokens but leaves the user active", async () => {
    const bob = user("bob");
    const issued = await issueFor(bob.uid);
    const result = await cli(["user:revoke-tokens", "bob"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Revoked 2 token row(s) of bob");
    expect(user("bob").status).toBe(true);
    expect(tokenRows(bob.uid).every((row) => row.revoked === 1)).toBe(true);
    expect(await verifyError(issued.access_token)).toBeInstanceOf(BearerTokenError);
  });
});

describe("client:add", () => {
  it("adds a confidential client with a hashed secret, grants and scopes", async () => {
    const result = await cli(["client:add", "c1", "--secret", "s1", "--scope", "editor"]);
    expect(result.code, result.stderr).toBe(0);
    const client = api.services.clients.find("c1");
    expect(client).toMatchObject({
      clientId: "c1",
      confidential: true,
      secretHash: sha256("s1"),
      grantTypes: ["password", "refresh_token"],
      defaultScopes: ["editor"],
      defaultUser: null,
    });
    // Its UUID, the client id under API_COMPAT=5, is printed.
    expect(result.stdout).toContain(
      `Its UUID (the client id with API_COMPAT=5): ${client?.uuid ?? "?"}`,
    );

    // The running API accepts the new client at once.
    const response = await tokenRequest({
      grant_type: "password",
      client_id: "c1",
      client_secret: "s1",
      username: "carol",
      password: "carol-new-password",
      scope: "editor",
    });
    expect(response.status).toBe(200);
  });

  it("adds a public client and a client_credentials client with a generated secret", async () => {
    const pub = await cli(["client:add", "spa", "--public", "--grant", "password"]);
    expect(pub.code, pub.stderr).toBe(0);
    expect(api.services.clients.find("spa")).toMatchObject({
      confidential: false,
      secretHash: null,
      grantTypes: ["password"],
    });

    const machine = await cli([
      "client:add",
      "machine",
      "--grant",
      "client_credentials",
      "--user",
      "admin",
      "--scope",
      "administrator",
    ]);
    expect(machine.code, machine.stderr).toBe(0);
    const secret = machine.stdout.match(/Generated client secret \(shown once\): (\S+)/)?.[1];
    expect(secret).toBeDefined();
    expect(api.services.clients.find("machine")).toMatchObject({
      secretHash: sha256(secret ?? ""),
      grantTypes: ["client_credentials"],
      defaultUser: user("admin").uid,
    });
    const response = await tokenRequest({
      grant_type: "client_credentials",
      client_id: "machine",
      client_secret: secret ?? "",
      scope: "administrator",
    });
    expect(response.status).toBe(200);
  });

  it("rejects contradictory or unknown options", async () => {
    const both = await cli(["client:add", "x", "--public", "--secret", "s"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--public and --secret");
    const grant = await cli(["client:add", "x", "--grant", "implicit"]);
    expect(grant.code).toBe(2);
    expect(grant.stderr).toContain('unknown grant "implicit"');
    const noUser = await cli(["client:add", "x", "--grant", "client_credentials"]);
    expect(noUser.code).toBe(2);
    expect(noUser.stderr).toContain("--user");
    const scope = await cli(["client:add", "x", "--secret", "s", "--scope", "root"]);
    expect(scope.code).toBe(1);
    expect(scope.stderr).toContain('Unknown scope "root"');
    expect(api.services.clients.find("x")).toBeUndefined();
  });
});

describe("configuration errors", () => {
  it("prints the ConfigError message and exits with 1", async () => {
    const result = await cli(["user:block", "alice"], { API_PORT: "seventy" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Invalid API configuration");
    expect(result.stderr).toContain("API_PORT");
    expect(user("alice").status).toBe(true);
  });
});
