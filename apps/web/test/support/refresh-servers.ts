import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { decode } from "next-auth/jwt";
import { systemProgram } from "../../../../test-support/prerequisites.js";
import { webServerEnv } from "./context";
import { freePort, startProcess, stopProcess, waitForHttp } from "./processes";

/**
 * Servers of the token-refresh tests (issue 5) and the soak script: the reference API with a
 * short access-token lifetime, `next start` instances of the tests' build (`.next-test`, made
 * once by the global setup), and a throwaway Redis. Every child stops by itself (`timeout`).
 */
const webDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const repoRoot = path.join(webDir, "..", "..");
const apiDir = path.join(repoRoot, "apps", "api");
const nextBin = path.join(repoRoot, "node_modules", "next", "dist", "bin", "next");

export interface Server {
  url: string;
  port: number;
  output: () => string;
  stop: () => Promise<void>;
}

export interface ApiServer extends Server {
  databasePath: string;
  /** Stops and starts the API again on the same port and database. */
  restart: () => Promise<void>;
  /** Sends `signal` to the API process itself (not to its `timeout` wrapper): SIGSTOP, SIGCONT. */
  signal: (signal: NodeJS.Signals) => void;
}

/**
 * The reference API. Without `databasePath` it gets a SQLite file in a temporary folder of its
 * own, removed by `stop()`.
 */
export async function startApi(options: {
  databasePath?: string;
  accessTokenTtl: number;
  maxSeconds?: number;
  /** More environment, e.g. `API_WEB_REDIRECT_URIS` for the code flow. */
  env?: Record<string, string>;
}): Promise<ApiServer> {
  let scratchDir: string | null = null;
  let databasePath = options.databasePath;
  if (databasePath === undefined) {
    scratchDir = mkdtempSync(path.join(tmpdir(), "web-test-api-"));
    databasePath = path.join(scratchDir, "api.sqlite");
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const start = async () => {
    const proc = startProcess(process.execPath, [path.join(apiDir, "dist", "cli.js"), "serve"], {
      cwd: apiDir,
      maxSeconds: options.maxSeconds ?? 900,
      env: {
        ...process.env,
        API_HOST: "127.0.0.1",
        API_PORT: String(port),
        DATABASE_PATH: databasePath,
        DEMO_DATA: "1",
        ACCESS_TOKEN_TTL: String(options.accessTokenTtl),
        LOG_LEVEL: "warn",
        // Strict rotation: a refresh token spent twice revokes its family, so the family reports
        // show any double spend. Tests of lost answers turn the reuse interval on.
        REFRESH_REUSE_INTERVAL: "0",
        ...options.env,
      },
    });
    await waitForHttp(`${url}/jsonapi`, 30_000, proc.output);
    return proc;
  };
  let proc = await start();
  return {
    url,
    port,
    databasePath,
    output: () => proc.output(),
    async stop() {
      await stopProcess(proc.child);
      if (scratchDir !== null) rmSync(scratchDir, { recursive: true, force: true });
    },
    async restart() {
      await stopProcess(proc.child);
      proc = await start();
    },
    signal(signal) {
      for (const pid of childPids(proc.child.pid)) process.kill(pid, signal);
    },
  };
}

/** The processes `timeout` started (Linux: /proc/<pid>/task/<pid>/children). */
function childPids(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  const list = readFileSync(`/proc/${String(pid)}/task/${String(pid)}/children`, "utf8");
  return list
    .split(" ")
    .filter((value) => value.trim() !== "")
    .map(Number);
}

export async function startWeb(options: {
  apiUrl: string;
  secret: string;
  redisUrl?: string;
  skewSeconds?: number;
  maxSeconds?: number;
  /** A port chosen beforehand (the code flow's redirect URI must be known to the API first). */
  port?: number;
  env?: Record<string, string>;
  /** How much output `output()` keeps (see `startProcess`). */
  outputLimit?: number;
}): Promise<Server> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const proc = startProcess(
    process.execPath,
    [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: webDir,
      maxSeconds: options.maxSeconds ?? 900,
      outputLimit: options.outputLimit,
      env: {
        ...webServerEnv({
          url,
          secret: options.secret,
          apiUrl: options.apiUrl,
          distDir: process.env.WEB_TEST_DIST_DIR ?? ".next-test",
        }),
        REFRESH_SKEW_SECONDS: String(options.skewSeconds ?? 1),
        REDIS_URL: options.redisUrl ?? "",
        ...options.env,
      },
    },
  );
  await waitForHttp(`${url}/`, 30_000, proc.output);
  return { url, port, output: proc.output, stop: () => stopProcess(proc.child) };
}

export interface RedisServer extends Server {
  /** Starts it again on the same port (empty: it keeps no data). */
  restart: () => Promise<void>;
}

/**
 * A throwaway redis-server on loopback. With `dataDir` it keeps its data across `restart()`
 * (append-only file), as a production Redis holding sessions should.
 */
export async function startRedis(maxSeconds = 900, dataDir?: string): Promise<RedisServer> {
  const port = await freePort();
  const persistence =
    dataDir === undefined
      ? ["--save", "", "--appendonly", "no"]
      : ["--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", dataDir];
  const start = async () => {
    const proc = startProcess(
      systemProgram("redis"),
      ["--port", String(port), "--bind", "127.0.0.1", ...persistence],
      { cwd: repoRoot, env: process.env, maxSeconds },
    );
    const deadline = Date.now() + 10_000;
    while (!/Ready to accept connections/.test(proc.output())) {
      if (Date.now() > deadline) throw new Error(`redis-server did not start:\n${proc.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return proc;
  };
  let proc = await start();
  return {
    url: `redis://127.0.0.1:${String(port)}`,
    port,
    output: () => proc.output(),
    stop: () => stopProcess(proc.child),
    async restart() {
      await stopProcess(proc.child);
      proc = await start();
    },
  };
}

export const newSecret = () => randomBytes(32).toString("base64url");

/** `Set-Cookie` values of a response as `name=value` pairs (attributes dropped). */
function cookiePairs(response: Response): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const separator = pair?.indexOf("=") ?? -1;
    if (pair === undefined || separator <= 0) continue;
    pairs.set(pair.slice(0, separator), pair.slice(separator + 1));
  }
  return pairs;
}

/** A browser-less cookie jar: applies `Set-Cookie` (empty value = deleted) and renders `Cookie`. */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  apply(response: Response): void {
    for (const [name, value] of cookiePairs(response)) {
      if (value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
  session(): string {
    const parts = [...this.cookies]
      .filter(([name]) => name.startsWith("next-auth.session-token"))
      .sort(([a], [b]) => a.localeCompare(b));
    return parts.map(([, value]) => value).join("");
  }
  clone(): CookieJar {
    const copy = new CookieJar();
    for (const [name, value] of this.cookies) copy.cookies.set(name, value);
    return copy;
  }
}

/** next-auth's credentials sign-in over HTTP, as the login form does it. */
export async function signInOverHttp(
  webUrl: string,
  username: string,
  password: string,
): Promise<CookieJar> {
  const jar = new CookieJar();
  const csrf = await fetch(`${webUrl}/api/auth/csrf`);
  jar.apply(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${webUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
    body: new URLSearchParams({ csrfToken, username, password, json: "true" }).toString(),
  });
  jar.apply(response);
  if (jar.session() === "") {
    throw new Error(`sign-in of ${username} failed: ${response.status}`);
  }
  return jar;
}

/** A read through the app's upstream proxy, as browser code makes it (with `X-CSRF: 1`). */
export function proxiedRead(
  webUrl: string,
  jar: CookieJar,
  pathAndQuery = "/api/upstream/jsonapi/node/article?page[limit]=1",
): Promise<Response> {
  return fetch(`${webUrl}${pathAndQuery}`, {
    headers: { cookie: jar.header(), "x-csrf": "1" },
    redirect: "manual",
  });
}

/** next-auth's sign-out over HTTP, as `signOut()` does it (with its CSRF token). */
export async function signOutOverHttp(webUrl: string, jar: CookieJar): Promise<Response> {
  const csrf = await fetch(`${webUrl}/api/auth/csrf`, { headers: { cookie: jar.header() } });
  jar.apply(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${webUrl}/api/auth/signout`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
    body: new URLSearchParams({ csrfToken, json: "true" }).toString(),
  });
  jar.apply(response);
  return response;
}

export interface SessionTokens {
  accessToken: string;
  accessTokenExpiresAt: number;
  refreshToken: string;
}

export function tokensOf(jar: CookieJar, secret: string): Promise<SessionTokens> {
  return tokensOfCookie(jar.session(), secret);
}

/** The tokens in a (joined) session cookie value. */
export async function tokensOfCookie(value: string, secret: string): Promise<SessionTokens> {
  const claims = await decode({ token: value, secret });
  const { accessToken, accessTokenExpiresAt, refreshToken } = (claims ?? {}) as Record<
    string,
    unknown
  >;
  if (
    typeof accessToken !== "string" ||
    typeof accessTokenExpiresAt !== "number" ||
    typeof refreshToken !== "string"
  ) {
    throw new Error("the session cookie holds no upstream tokens");
  }
  return { accessToken, accessTokenExpiresAt, refreshToken };
}

export interface FamilyReport {
  /** Refreshes the API performed in this token family (rotated refresh tokens). */
  refreshes: number;
  /** Refresh tokens revoked without being rotated: a family revocation (or a sign-out). */
  revokedUnrotated: number;
  /** Refresh tokens still usable. */
  live: number;
}

/**
 * Read straight from the API's SQLite file (WAL, so a read-only reader is fine while it runs):
 * the family of `refreshToken`, counted in the API itself.
 */
export function familyReport(databasePath: string, refreshToken: string): FamilyReport {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    const hash = createHash("sha256").update(refreshToken).digest("hex");
    const row = db
      .prepare("SELECT family FROM oauth_tokens WHERE kind = 'refresh' AND value_hash = ?")
      .get(hash) as { family: string } | undefined;
    if (row === undefined) throw new Error("refresh token unknown to the API");
    const count = (sql: string) => (db.prepare(sql).get(row.family) as { n: number }).n;
    return {
      refreshes: count(
        "SELECT COUNT(*) AS n FROM oauth_tokens WHERE kind = 'refresh' AND rotated = 1 AND family = ?",
      ),
      revokedUnrotated: count(
        "SELECT COUNT(*) AS n FROM oauth_tokens WHERE kind = 'refresh' AND rotated = 0 AND revoked = 1 AND family = ?",
      ),
      live: count(
        "SELECT COUNT(*) AS n FROM oauth_tokens WHERE kind = 'refresh' AND rotated = 0 AND revoked = 0 AND family = ?",
      ),
    };
  } finally {
    db.close();
  }
}

/** Waits until `epochMs` (plus `marginMs`) has passed. */
export async function waitUntil(epochMs: number, marginMs = 150): Promise<void> {
  const delay = epochMs + marginMs - Date.now();
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
}
