import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { commandHelp } from "../../src/cli/usage.js";
import { buildCli, cliEnv, runCliProcess, waitForOutput } from "./helpers.js";

let cliPath: string;
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  cliPath = await buildCli();
  dir = mkdtempSync(join(tmpdir(), "reference-api-serve-"));
}, 240_000);

afterEach(() => {
  // A failed assertion must not leave a server running.
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const commands = Object.keys(commandHelp);

describe("help", () => {
  it("--help lists every command and the environment variables, exit code 0", async () => {
    for (const args of [["--help"], ["-h"], ["help"]]) {
      const result = await runCliProcess(cliPath, args, {});
      expect(result.code, args.join(" ")).toBe(0);
      expect(result.stderr).toBe("");
      for (const command of commands) expect(result.stdout).toContain(`  ${command}`);
      for (const variable of ["DATABASE_PATH", "NEW_PASSWORD", "API_PORT", "DEMO_DATA"]) {
        expect(result.stdout).toContain(variable);
      }
      expect(result.stdout).toContain("2 usage error");
    }
  });

  it("<command> --help shows that command's usage and does not need a valid configuration", async () => {
    for (const command of commands) {
      const result = await runCliProcess(cliPath, [command, "--help"], { API_PORT: "broken" });
      expect(result.code, command).toBe(0);
      expect(result.stdout).toContain(`Usage: reference-api ${command}`);
    }
    const viaHelp = await runCliProcess(cliPath, ["help", "client:add"], {});
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toContain("--public");
  });

  it("rejects unknown commands and stray options with exit code 2", async () => {
    const unknown = await runCliProcess(cliPath, ["launch"], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "launch"');
    const option = await runCliProcess(cliPath, ["--port", "5"], {});
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("--port");
    const extra = await runCliProcess(cliPath, ["serve", "now"], {});
    expect(extra.code).toBe(2);
    const helpTopic = await runCliProcess(cliPath, ["help", "nothing"], {});
    expect(helpTopic.code).toBe(2);
  });
});

describe("serve", () => {
  function startCli(args: string[], env: Record<string, string>): ChildProcess {
    const child = spawn(process.execPath, [cliPath, ...args], {
      env: cliEnv({ API_PORT: "0", API_HOST: "127.0.0.1", ...env }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    return child;
  }

  function exitOf(child: ChildProcess): Promise<number | null> {
    return new Promise((resolve) => {
      if (child.exitCode !== null) resolve(child.exitCode);
      else child.once("exit", (code) => resolve(code));
    });
  }

  it("starts with no command on a free port, loads demo data, serves, sees a CLI block, exits 0 on SIGTERM", async () => {
    const databasePath = join(dir, "serve.sqlite");
    const child = startCli([], { DATABASE_PATH: databasePath, DEMO_DATA: "1", LOG_LEVEL: "info" });
    let stdout = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));

    // The demo line is logged right after the listening line.
    await waitForOutput(child, /Demo data is on/);
    const url = stdout.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/)?.[1];
    expect(url).toBeDefined();
    expect(url).not.toMatch(/:0$/);
    expect(stdout).toContain("alice/alice-password");

    const entry = await fetch(`${url ?? ""}/jsonapi`);
    expect(entry.status).toBe(200);
    expect(entry.headers.get("content-type")).toBe("application/vnd.api+json");
    await entry.body?.cancel();

    // Sign in over HTTP, then block the user with the CLI while this server runs on the file.
    const token = await fetch(`${url ?? ""}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "password",
        client_id: "next-web",
        client_secret: "next-web-secret",
        username: "alice",
        password: "alice-password",
        scope: "editor",
      }),
    });
    expect(token.status).toBe(200);
    const { access_token: accessToken } = (await token.json()) as { access_token: string };
    const articles = () =>
      fetch(`${url ?? ""}/jsonapi/node/article?page[limit]=1`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
    const before = await articles();
    expect(before.status).toBe(200);
    await before.body?.cancel();

    const blocked = await runCliProcess(cliPath, ["user:block", "alice"], {
      DATABASE_PATH: databasePath,
    });
    expect(blocked.code, blocked.stderr).toBe(0);
    const after = await articles();
    expect(after.status).toBe(401);
    expect(after.headers.get("www-authenticate")).toContain('error="access_denied"');
    await after.body?.cancel();

    const exited = exitOf(child);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stdout).toContain("shutting down");

    const db = new BetterSqlite3(databasePath, { readonly: true });
    try {
      const names = db.prepare("SELECT name FROM users ORDER BY name").pluck().all();
      expect(names).toEqual(["admin", "alice", "bob"]);
    } finally {
      db.close();
    }
  });

  it("`serve --compat 5` answers like simple_oauth 5.x and says next-web's UUID; a bad value is a usage error", async () => {
    const child = startCli(["serve", "--compat", "5"], {
      DATABASE_PATH: join(dir, "compat.sqlite"),
      DEMO_DATA: "1",
      LOG_LEVEL: "info",
      API_COMPAT: "6", // the option wins
    });
    let stdout = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    await waitForOutput(child, /simple_oauth 5\.x compatibility/);
    expect(stdout).toContain("next-web is a6a1f7fe-a77c-466d-a5a2-17098cec0c50");
    const url = stdout.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/)?.[1] ?? "";
    const token = await fetch(`${url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        client_id: "a6a1f7fe-a77c-466d-a5a2-17098cec0c50",
        client_secret: "next-web-secret",
        refresh_token: "garbage",
      }),
    });
    expect(token.status).toBe(401);
    expect(await token.json()).toMatchObject({
      error: "invalid_request",
      message: expect.any(String) as unknown,
    });
    const exited = exitOf(child);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);

    const bad = await runCliProcess(cliPath, ["serve", "--compat", "7"], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--compat must be 5 or 6");
  });

  it("`serve` with a bad configuration prints the problem and exits 1", async () => {
    const child = startCli(["serve"], {
      DATABASE_PATH: join(dir, "never.sqlite"),
      ACCESS_TOKEN_TTL: "-5",
    });
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    expect(await exitOf(child)).toBe(1);
    expect(stderr).toContain("Invalid API configuration");
    expect(stderr).toContain("ACCESS_TOKEN_TTL");
  });

  it("`serve` without demo data and without API_CLIENT_SECRET explains what is missing", async () => {
    const child = startCli(["serve"], {
      DATABASE_PATH: join(dir, "no-demo.sqlite"),
      DEMO_DATA: "0",
    });
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    expect(await exitOf(child)).toBe(1);
    expect(stderr).toContain("API_CLIENT_SECRET is required");
  });
});
