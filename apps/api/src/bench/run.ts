/**
 * `npm run bench`: measures the reference API's hot paths side by side in one run and appends the
 * results to docs/benchmarks.md at the repository root.
 *
 * The API runs in a worker thread of this process (same parts as `startServer`, fresh SQLite file
 * with demo data in a temp dir, 127.0.0.1 on a free port); autocannon drives it from the main
 * thread. Environment: BENCH_DURATION (seconds per scenario, default 10), BENCH_WARMUP (seconds,
 * default 2), BENCH_CONNECTIONS (default 10), BENCH_OUTPUT (file to append to; `-` = don't write).
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { once } from "node:events";
import os from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import autocannon from "autocannon";
import { DEMO_CLIENT_SECRET, WEB_CLIENT_ID } from "../db/bootstrap.js";
import { demoUsers } from "../db/demo-data.js";
import type { WorkerStarted } from "./server-worker.js";

const apiDir = fileURLToPath(new URL("../../", import.meta.url));
const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

function numberFromEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) {
    throw new Error(`${name} must be a number ≥ ${min}, got "${raw}"`);
  }
  return value;
}

const duration = numberFromEnv("BENCH_DURATION", 10, 1);
const warmup = numberFromEnv("BENCH_WARMUP", 2, 0);
const connections = Math.floor(numberFromEnv("BENCH_CONNECTIONS", 10, 1));
const output = process.env.BENCH_OUTPUT ?? join(repoRoot, "docs", "benchmarks.md");

const alice = demoUsers.find((user) => user.name === "alice");
if (!alice) throw new Error("demo user alice is missing");
const SCOPE = "editor";
const FORM = { "content-type": "application/x-www-form-urlencoded" };
const LOGIN_LIMIT = "1000000";
const ARTICLES_PATH = "/jsonapi/node/article?page%5Blimit%5D=10";

function form(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

const passwordBody = form({
  grant_type: "password",
  client_id: WEB_CLIENT_ID,
  client_secret: DEMO_CLIENT_SECRET,
  username: alice.name,
  password: alice.password,
  scope: SCOPE,
});

function refreshBody(refreshToken: string): string {
  return form({
    grant_type: "refresh_token",
    client_id: WEB_CLIENT_ID,
    client_secret: DEMO_CLIENT_SECRET,
    refresh_token: refreshToken,
  });
}

interface Row {
  scenario: string;
  request: string;
  result?: autocannon.Result;
  skipped?: string;
  note?: string;
}

async function startApiWorker(databasePath: string): Promise<{ worker: Worker; base: string }> {
  const worker = new Worker(new URL("./server-worker.js", import.meta.url), {
    workerData: {
      env: {
        DATABASE_PATH: databasePath,
        API_HOST: "127.0.0.1",
        API_PORT: "0",
        DEMO_DATA: "1",
        LOG_LEVEL: "silent",
        // Long enough that the bearer token of the JSON:API scenario outlives any BENCH_DURATION.
        ACCESS_TOKEN_TTL: "86400",
        // The login limiter holds a point per sign-in in flight (refunded on success), so 10
        // parallel sign-ins of one account would hit the default per-account limit of 5.
        LOGIN_FAILURES_PER_USER: LOGIN_LIMIT,
        LOGIN_FAILURES_PER_IP: LOGIN_LIMIT,
      },
    },
  });
  const started = await new Promise<WorkerStarted>((resolve, reject) => {
    worker.once("message", (message: WorkerStarted) => resolve(message));
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`API worker exited early (${code})`)));
  });
  return { worker, base: started.address.replace(/\/$/, "") };
}

interface TokenPair {
  access_token: string;
  refresh_token: string;
}

async function passwordGrant(base: string): Promise<TokenPair> {
  const response = await fetch(`${base}/oauth/token`, {
    method: "POST",
    headers: FORM,
    body: passwordBody,
  });
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(`password grant answered ${response.status}: ${text.slice(0, 200)}`);
  }
  const body = JSON.parse(text) as Partial<TokenPair>;
  if (typeof body.access_token !== "string" || typeof body.refresh_token !== "string") {
    throw new Error(`password grant answered without tokens: ${text.slice(0, 200)}`);
  }
  return { access_token: body.access_token, refresh_token: body.refresh_token };
}

/** One warm-up run (discarded), then the measured run. */
async function measure(options: autocannon.Options): Promise<autocannon.Result> {
  if (warmup > 0) await autocannon({ ...options, duration: warmup });
  return autocannon({ ...options, duration });
}

async function probe(base: string, path: string, init: RequestInit): Promise<string | undefined> {
  try {
    const response = await fetch(`${base}${path}`, init);
    const text = await response.text();
    return response.status === 200 ? undefined : `${response.status} ${text.slice(0, 160)}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function runScenarios(base: string): Promise<Row[]> {
  const rows: Row[] = [];
  const common = { connections, pipelining: 1 } as const;

  // (a) Password grant: Argon2id verification dominates; the limiter counts failed logins only.
  const passwordRow: Row = {
    scenario: "password grant",
    request: "POST /oauth/token grant_type=password (alice, scope editor)",
  };
  passwordRow.skipped = await probe(base, "/oauth/token", {
    method: "POST",
    headers: FORM,
    body: passwordBody,
  });
  if (!passwordRow.skipped) {
    console.log("… password grant");
    passwordRow.result = await measure({
      ...common,
      url: `${base}/oauth/token`,
      method: "POST",
      headers: FORM,
      body: passwordBody,
    });
  }
  rows.push(passwordRow);

  // (b) Refresh grant: rotation revokes each refresh token on use, so every request takes an
  // unused token from a pool and every 200 puts the rotated token back in.
  const refreshRow: Row = {
    scenario: "refresh_token grant",
    request: "POST /oauth/token grant_type=refresh_token (fresh token each request)",
  };
  const pool: string[] = [];
  try {
    const poolSize = connections * 4;
    for (let i = 0; i < poolSize; i += 4) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(4, poolSize - i) }, () => passwordGrant(base)),
      );
      pool.push(...batch.map((pair) => pair.refresh_token));
    }
    const first = pool.shift() ?? "";
    refreshRow.skipped = await probe(base, "/oauth/token", {
      method: "POST",
      headers: FORM,
      body: refreshBody(first),
    });
  } catch (error) {
    refreshRow.skipped = error instanceof Error ? error.message : String(error);
  }
  if (!refreshRow.skipped) {
    console.log("… refresh_token grant");
    let exhausted = 0;
    refreshRow.result = await measure({
      ...common,
      url: `${base}/oauth/token`,
      requests: [
        {
          method: "POST",
          path: "/oauth/token",
          headers: FORM,
          setupRequest: (request) => {
            const token = pool.shift();
            if (token === undefined) exhausted++;
            return { ...request, body: refreshBody(token ?? "pool-exhausted") };
          },
          onResponse: (status, body) => {
            if (status !== 200) return;
            const parsed = JSON.parse(body) as { refresh_token?: unknown };
            if (typeof parsed.refresh_token === "string") pool.push(parsed.refresh_token);
          },
        },
      ],
    });
    refreshRow.note =
      `autocannon with a pool of unused refresh tokens (${connections * 4} pre-issued, refilled ` +
      `from each response)` +
      (exhausted > 0 ? `; the pool ran dry ${exhausted}× (those requests count as non-2xx)` : "");
  }
  rows.push(refreshRow);

  // (c) JSON:API collection with a bearer token: JWT verification + token row + 10 articles.
  const articlesRow: Row = {
    scenario: "JSON:API articles",
    request: "GET /jsonapi/node/article?page[limit]=10 (Bearer, alice)",
  };
  let headers: Record<string, string> = {};
  try {
    const pair = await passwordGrant(base);
    headers = { authorization: `Bearer ${pair.access_token}` };
    articlesRow.skipped = await probe(base, ARTICLES_PATH, { headers });
  } catch (error) {
    articlesRow.skipped = error instanceof Error ? error.message : String(error);
  }
  if (!articlesRow.skipped) {
    console.log("… JSON:API articles");
    articlesRow.result = await measure({ ...common, url: `${base}${ARTICLES_PATH}`, headers });
  }
  rows.push(articlesRow);
  return rows;
}

function fixed(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "–";
}

/** A Markdown table already laid out the way Prettier formats one (so `prettier --check` passes). */
function alignedTable(header: string[], body: string[][], rightAligned: boolean[]): string {
  const cell = (text: string) => text.replaceAll("|", "\\|").replace(/\s+/g, " ");
  const rows = [header, ...body].map((row) => row.map(cell));
  const widths = header.map((_, column) =>
    Math.max(3, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (row: string[]) =>
    `| ${widths
      .map((width, column) =>
        rightAligned[column]
          ? (row[column] ?? "").padStart(width)
          : (row[column] ?? "").padEnd(width),
      )
      .join(" | ")} |`;
  const rule = `| ${widths
    .map((width, column) =>
      rightAligned[column] ? `${"-".repeat(width - 1)}:` : "-".repeat(width),
    )
    .join(" | ")} |`;
  const [head = [], ...rest] = rows;
  return [line(head), rule, ...rest.map(line)].join("\n");
}

function markdownTable(rows: Row[]): string {
  const header = ["scenario", "req/s (mean)", "p50 ms", "p99 ms", "requests", "non-2xx", "errors"];
  const body = rows.map((row) => {
    const r = row.result;
    if (!r) return [row.scenario, `skipped: ${row.skipped ?? "?"}`, "", "", "", "", ""];
    return [
      row.scenario,
      fixed(r.requests.average),
      String(r.latency.p50),
      String(r.latency.p99),
      String(r.requests.total),
      String(r.non2xx),
      `${r.errors} (timeouts ${r.timeouts})`,
    ];
  });
  return alignedTable(header, body, [false, true, true, true, true, true, true]);
}

function packageVersion(name: string): string {
  for (const base of [apiDir, repoRoot]) {
    const path = join(base, "node_modules", name, "package.json");
    if (existsSync(path)) {
      const pkg = JSON.parse(readFileSync(path, "utf8")) as { version?: string };
      return pkg.version ?? "?";
    }
  }
  return "not installed";
}

function machineLines(): string[] {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? "unknown CPU";
  const packages = ["fastify", "better-sqlite3", "jose", "@node-rs/argon2", "zod", "autocannon"]
    .map((name) => `${name} ${packageVersion(name)}`)
    .join(", ");
  return [
    `- Machine: ${model}, ${cpus.length} logical cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.platform()} ${os.release()} ${os.arch()}`,
    `- Node ${process.version}; UV_THREADPOOL_SIZE ${process.env.UV_THREADPOOL_SIZE ?? "4 (default)"}`,
    `- Packages: ${packages}`,
  ];
}

function section(rows: Row[]): string {
  const when = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const notes = rows
    .filter((row) => row.result)
    .map((row) => {
      const codes = Object.entries(row.result?.statusCodeStats ?? {})
        .map(([code, stats]) => `${code}×${stats.count ?? 0}`)
        .join(", ");
      const note = row.note ? `; ${row.note}` : "";
      return `- ${row.scenario}: \`${row.request}\`${note}; status codes ${codes || "n/a"}.`;
    });
  return [
    `## ${when}`,
    "",
    ...machineLines(),
    `- Load: autocannon, ${connections} connections, pipelining 1, ${warmup > 0 ? `${warmup} s warm-up (discarded), then ` : "no warm-up, "}${duration} s per scenario, one scenario after the other against the same server.`,
    "- Setup: API in a worker thread of the bench process (Fastify, logging off), autocannon in the main thread, so both share the machine's cores; fresh SQLite file (WAL) with demo data; loopback.",
    `- Login limiter limits raised to ${LOGIN_LIMIT} for the run: it holds a point per sign-in in flight, so ${connections} parallel sign-ins of one account would otherwise be throttled by the default per-account limit (5).`,
    "",
    markdownTable(rows),
    "",
    ...notes,
    "- Latencies are autocannon's (ms, whole request). req/s is the mean of per-second samples.",
    "",
  ].join("\n");
}

const intro = `# Benchmarks

Runs of \`npm run bench\` (\`apps/api/src/bench/run.ts\`): the reference API's token endpoint
(password and refresh_token grants) and a JSON:API collection read, measured side by side in one
run. Each run appends a dated section with the machine, the Node and package versions, and how it
was measured. Compare rows within one section; numbers from different machines are not comparable.

`;

function appendReport(text: string): void {
  if (output === "-") return;
  mkdirSync(dirname(output), { recursive: true });
  if (!existsSync(output)) appendFileSync(output, intro);
  const current = readFileSync(output, "utf8");
  const separator = current.endsWith("\n\n") ? "" : current.endsWith("\n") ? "\n" : "\n\n";
  appendFileSync(output, `${separator}${text}`);
  const shown = relative(process.cwd(), output);
  console.log(`Appended to ${shown.startsWith("..") ? output : shown}`);
}

async function main(): Promise<number> {
  const dir = mkdtempSync(join(os.tmpdir(), "reference-api-bench-"));
  let worker: Worker | undefined;
  const cleanUp = async () => {
    if (worker) {
      const exited = once(worker, "exit");
      worker.postMessage("close");
      const timer = setTimeout(() => void worker?.terminate(), 5_000);
      await exited;
      clearTimeout(timer);
      worker = undefined;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("SIGINT", () => {
    void cleanUp().finally(() => process.exit(130));
  });

  try {
    const started = await startApiWorker(join(dir, "bench.sqlite"));
    worker = started.worker;
    console.log(
      `Reference API under test on ${started.base}; ${duration} s per scenario after ${warmup} s warm-up, ${connections} connections.`,
    );
    const rows = await runScenarios(started.base);
    const report = section(rows);
    console.log(`\n${report}`);
    appendReport(report);
    return rows.some((row) => row.skipped) ? 1 : 0;
  } finally {
    await cleanUp();
  }
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(error);
  return 1;
});
