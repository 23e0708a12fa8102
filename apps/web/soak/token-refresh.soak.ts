import { execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runToCompletion } from "../test/support/processes";
import {
  type ApiServer,
  type RedisServer,
  type Server,
  familyReport,
  newSecret,
  signInOverHttp,
  startApi,
  startRedis,
  startWeb,
  tokensOf,
} from "../test/support/refresh-servers";
import { ifStarted } from "../../../test-support/hooks.js";

/**
 * Soak of token refresh: SOAK_USERS users (default 20) with 5 s access tokens (SOAK_TOKEN_TTL)
 * for SOAK_MINUTES (default 10) against two `next start` instances sharing a Redis (with an
 * append-only file, restarted once halfway). Each user acts like a browser with one cookie jar:
 * API calls (sometimes 5 at once), page navigations that render upstream data, and next-auth
 * session polls, each sent to a random instance; 5 % of the requests carry an older cookie of
 * the same user (a lost Set-Cookie, a restored tab). Like a browser, each user follows
 * same-site redirects and comes back after a 503's Retry-After. Counts failed requests, unintended
 * sign-outs and family revocations (in the API's database) and appends a summary to
 * docs/benchmarks.md (SOAK_OUTPUT, `-` for none).
 */
const webDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = path.join(webDir, "..", "..");
const minutes = Number(process.env.SOAK_MINUTES ?? "10");
const userCount = Number(process.env.SOAK_USERS ?? "20");
const tokenTtl = Number(process.env.SOAK_TOKEN_TTL ?? "5");
const output = process.env.SOAK_OUTPUT ?? path.join(repoRoot, "docs", "benchmarks.md");
const secret = newSecret();
const maxSeconds = Math.ceil(minutes * 60 + 600);

let dataDir: string;
let api: ApiServer;
let redis: RedisServer;
let webs: Server[] = [];

async function build(): Promise<void> {
  const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  const next = path.join(repoRoot, "node_modules", "next", "dist", "bin", "next");
  await runToCompletion(
    process.execPath,
    [tsc, "-p", "packages/next-token-bff/tsconfig.build.json"],
    {
      cwd: repoRoot,
    },
  );
  await runToCompletion(process.execPath, [tsc, "-p", "apps/api/tsconfig.build.json"], {
    cwd: repoRoot,
  });
  await runToCompletion(process.execPath, [next, "build"], {
    cwd: webDir,
    env: {
      ...process.env,
      NEXT_DIST_DIR: process.env.WEB_TEST_DIST_DIR ?? ".next-test",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });
}

beforeAll(
  async () => {
    if (process.env.SOAK_SKIP_BUILD !== "1") await build();
    dataDir = mkdtempSync(path.join(tmpdir(), "web-soak-"));
    mkdirSync(path.join(dataDir, "redis"));
    api = await startApi({
      databasePath: path.join(dataDir, "api.sqlite"),
      accessTokenTtl: tokenTtl,
      maxSeconds,
    });
    for (let index = 0; index < userCount; index += 1) {
      execFileSync(
        process.execPath,
        [
          path.join(repoRoot, "apps", "api", "dist", "cli.js"),
          "user:add",
          `soak${index}`,
          "--mail",
          `soak${index}@example.com`,
          "--role",
          "editor",
        ],
        {
          env: {
            ...process.env,
            DATABASE_PATH: api.databasePath,
            NEW_PASSWORD: `soak-password-${index}`,
            LOG_LEVEL: "warn",
          },
          stdio: "pipe",
        },
      );
    }
    redis = await startRedis(maxSeconds, path.join(dataDir, "redis"));
    webs = await Promise.all(
      [0, 1].map(() => startWeb({ apiUrl: api.url, secret, redisUrl: redis.url, maxSeconds })),
    );
  },
  15 * 60 * 1000,
);

afterAll(async () => {
  await Promise.all(webs.map((web) => web.stop()));
  await ifStarted(redis)?.stop();
  await ifStarted(api)?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

interface Tally {
  requests: number;
  failed: number;
  retried: number;
  replays: number;
  signOuts: number;
  byKind: Record<string, number>;
  failures: string[];
  latencies: number[];
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function simulateUser(index: number, until: number, tally: Tally): Promise<string> {
  const jar = await signInOverHttp(pick(webs).url, `soak${index}`, `soak-password-${index}`);
  const firstRefreshToken = (await tokensOf(jar, secret)).refreshToken;

  const record = (kind: string, ok: boolean, signedOut: boolean, detail: string, ms: number) => {
    tally.requests += 1;
    tally.byKind[kind] = (tally.byKind[kind] ?? 0) + 1;
    tally.latencies.push(ms);
    if (!ok) {
      tally.failed += 1;
      if (tally.failures.length < 20) tally.failures.push(`user ${index} ${kind}: ${detail}`);
    }
    if (signedOut) tally.signOuts += 1;
  };

  /** A snapshot of this user's cookie from a while ago: what a restored tab would send. */
  let older = jar.clone();
  let snapshotAt = Date.now();

  async function send(kind: "api" | "page" | "session"): Promise<void> {
    const web = pick(webs);
    const replay = Math.random() < 0.05;
    const cookies = replay ? older : jar;
    if (replay) tally.replays += 1;
    const started = performance.now();
    const headers: Record<string, string> = { cookie: cookies.header() };
    let url = `${web.url}/connection`;
    if (kind === "api") {
      url = `${web.url}/api/upstream/jsonapi/node/article?page[limit]=2`;
      headers["x-csrf"] = "1";
    } else if (kind === "session") {
      url = `${web.url}/api/auth/session`;
    }
    try {
      // As a browser does: follow same-site redirects (a page sent through the refresh route and
      // back) with the cookies each hop sets, and come back after a 503's Retry-After.
      let response = await fetch(url, { headers, redirect: "manual" });
      for (let hop = 0; hop < 6; hop += 1) {
        const next = response.headers.get("location");
        if (response.status === 503) {
          const wait = Number(response.headers.get("retry-after") ?? "1");
          await response.arrayBuffer();
          tally.retried += 1;
          await sleep(Math.min(wait, 5) * 1000);
        } else if (response.status >= 300 && response.status < 400 && next !== null) {
          const target = new URL(next, url);
          if (target.pathname.startsWith("/login") || target.origin !== new URL(url).origin) break;
          await response.arrayBuffer();
          cookies.apply(response);
          url = target.href;
        } else {
          break;
        }
        headers.cookie = cookies.header();
        response = await fetch(url, { headers, redirect: "manual" });
      }
      const body = await response.text();
      cookies.apply(response);
      const ms = performance.now() - started;
      const location = response.headers.get("location") ?? "";
      const signedOut =
        (response.status === 401 && body.includes("session_expired")) ||
        location.includes("/login") ||
        (kind === "session" && body.trim() === "{}") ||
        cookies.session() === "";
      const ok =
        response.status === 200 &&
        !signedOut &&
        (kind !== "page" || /data-testid="server-status"[^>]*>200</.test(body));
      const label = replay ? `${kind} (older cookie)` : kind;
      const status = /data-testid="server-status"[^>]*>([^<]*)</.exec(body)?.[1] ?? "";
      const detail = `${String(response.status)} ${location} ${status} ${body.slice(0, 80)}`;
      record(label, ok, signedOut, detail, ms);
    } catch (error) {
      record(kind, false, false, String(error), performance.now() - started);
    }
    // Every minute the "restored tab" takes the cookie of that moment.
    if (Date.now() - snapshotAt > 60_000) {
      older = jar.clone();
      snapshotAt = Date.now();
    }
  }

  while (Date.now() < until) {
    const roll = Math.random();
    if (roll < 0.1) await Promise.all(Array.from({ length: 5 }, () => send("api")));
    else if (roll < 0.6) await send("api");
    else if (roll < 0.85) await send("page");
    else await send("session");
    if (jar.session() === "") break;
    await sleep(100 + Math.random() * 1400);
  }
  return firstRefreshToken;
}

it(`soak: ${userCount} users, ${tokenTtl} s tokens, ${minutes} min, 2 instances + Redis`, async () => {
  const tally: Tally = {
    requests: 0,
    failed: 0,
    retried: 0,
    replays: 0,
    signOuts: 0,
    byKind: {},
    failures: [],
    latencies: [],
  };
  const started = Date.now();
  const until = started + minutes * 60_000;
  // Redis goes away once, halfway, and comes back with its data (append-only file).
  const restart = (async () => {
    await sleep((minutes * 60_000) / 2);
    await redis.stop();
    await sleep(2_000);
    await redis.restart();
  })();
  const firstTokens = await Promise.all(
    Array.from({ length: userCount }, (_, index) => simulateUser(index, until, tally)),
  );
  await restart;
  const elapsed = (Date.now() - started) / 1000;
  const families = firstTokens.map((token) => familyReport(api.databasePath, token));
  const refreshes = families.reduce((sum, family) => sum + family.refreshes, 0);
  const revoked = families.filter((family) => family.revokedUnrotated > 0 || family.live !== 1);
  const sorted = [...tally.latencies].sort((a, b) => a - b);
  const percentile = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  const outageLogged = webs.some((web) => /is unreachable/.test(web.output()));

  const summary = [
    "",
    `## Token refresh soak, ${new Date(started).toISOString().replace(/\.\d+Z$/, "Z")}`,
    "",
    `- Machine: ${cpus()[0]?.model.trim() ?? "unknown CPU"}, ${cpus().length} logical cores, ${Math.round(totalmem() / 2 ** 30)} GiB RAM; Node ${process.version}`,
    `- Setup (\`npm run soak\`, \`apps/web/soak/token-refresh.soak.ts\`): reference API with ${tokenTtl} s access tokens, two \`next start\` instances of one production build sharing one Redis (\`redis-server\`, loopback, append-only file; stopped for 2 s halfway and restarted), all on this machine. ${userCount} users (own accounts), each one cookie jar like a browser; every request goes to a random instance. Mix: 50 % one API call through \`/api/upstream\`, 10 % five API calls at once, 25 % a page navigation to \`/connection\` (rendered with upstream data), 15 % a next-auth \`/api/auth/session\` poll; 0.1–1.5 s pause between steps; 5 % of the requests carry the user's cookie of up to a minute earlier. Like a browser, the client follows same-site redirects (a page sent through the refresh route and back) and comes back after a 503's \`Retry-After\`.`,

    `- Duration: ${(elapsed / 60).toFixed(1)} min${minutes < 10 ? ` (shortened with SOAK_MINUTES=${minutes}; the issue's run is 10 min)` : ""}.`,
    "",
    "| requests | failed | unintended sign-outs | family revocations | refreshes (API) | p50 ms | p95 ms | p99 ms |",
    "| -------: | -----: | -------------------: | -----------------: | --------------: | -----: | -----: | -----: |",
    `| ${tally.requests} | ${tally.failed} | ${tally.signOuts} | ${revoked.length} | ${refreshes} | ${Math.round(percentile(0.5))} | ${Math.round(percentile(0.95))} | ${Math.round(percentile(0.99))} |`,
    "",
    `- Requests by kind: ${Object.entries(tally.byKind)
      .map(([kind, count]) => `${kind} ${count}`)
      .join(
        ", ",
      )}. Refreshes are counted in the API's SQLite file (rotated refresh tokens per family); a family revocation is a refresh token revoked without being rotated, or a family without exactly one live token at the end.`,
    `- Requests with an older cookie: ${tally.replays}; 503s retried after Retry-After: ${tally.retried}; the Redis outage logged: ${outageLogged ? "yes" : "no"}.`,
    ...(tally.failures.length > 0 ? [`- First failures: ${tally.failures.join("; ")}`] : []),
    "",
  ].join("\n");
  console.log(summary);
  if (output !== "-") {
    appendFileSync(output, summary);
    // Tables laid out as Prettier does, so `npm run lint` (prettier --check) stays green.
    const prettier = path.join(repoRoot, "node_modules", "prettier", "bin", "prettier.cjs");
    execFileSync(process.execPath, [prettier, "--write", output], { stdio: "pipe" });
  }

  expect(tally.failed).toBe(0);
  expect(tally.signOuts).toBe(0);
  expect(revoked).toEqual([]);
});
