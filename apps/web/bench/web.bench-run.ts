import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { decode, encode } from "next-auth/jwt";
import { it } from "vitest";
import { demoUsers, upstreamClient } from "../test/support/context";
import { runToCompletion } from "../test/support/processes";
import {
  CookieJar,
  familyReport,
  newSecret,
  signInOverHttp,
  tokensOf,
} from "../test/support/refresh-servers";
import { type ChartBar, barChartSvg } from "./chart";
import {
  type BenchServer,
  benchDistDir,
  repoRoot,
  startBenchApi,
  startBenchWeb,
  treeCpuMs,
  treePeakRss,
  webDir,
} from "./servers";
import { alignedTable, fixed, grouped, median, percentile } from "./stats";

/**
 * `npm run bench` (web part): the proxy route against the API directly, Next's own floor and a
 * server-rendered page, side by side in one run (issue 7). Builds the library, the API and the
 * app (`.next-bench`), starts the reference API and `next start`, signs in through next-auth's
 * credentials callback, warms up, then runs every scenario BENCH_ROUNDS times (every other
 * round in reverse order) with autocannon. Also sign-in latency, refresh storms, the session
 * cookie's size and the web server's peak RSS. Appends to docs/benchmarks.md and draws
 * docs/bench-latest.svg.
 *
 * Environment: BENCH_DURATION (s per scenario and round, default 8), BENCH_WARMUP (s per
 * scenario, default 3), BENCH_ROUNDS (2), BENCH_CONNECTIONS (10), BENCH_SIGNINS (10),
 * BENCH_STORMS (3), BENCH_STORM_SIZE (100), BENCH_SCENARIOS (e.g. "b,c"; default all),
 * BENCH_SKIP_BUILD=1, BENCH_CPU_PROF=<dir> (`node --cpu-prof` on `next start`),
 * BENCH_RATE (total req/s, diagnostics), BENCH_HOLD (s to keep the servers up first), BENCH_OUTPUT (file to append to; `-` = don't write), BENCH_LABEL (a note for the section),
 * BENCH_SIGNIN_BASELINE_SCOPE (a second `next start` with this UPSTREAM_SCOPE, e.g. without
 * `openid`: its sign-ins and the token endpoint with that scope are measured in the same loop,
 * a paired before/after of the sign-in). Only sign-in: BENCH_SCENARIOS=none BENCH_STORMS=0.
 */
function numberFromEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) {
    throw new Error(`${name} must be a number ≥ ${min}, got "${raw}"`);
  }
  return value;
}

const duration = numberFromEnv("BENCH_DURATION", 8, 1);
const warmup = numberFromEnv("BENCH_WARMUP", 3, 0);
const rounds = Math.floor(numberFromEnv("BENCH_ROUNDS", 2, 1));
const connections = Math.floor(numberFromEnv("BENCH_CONNECTIONS", 10, 1));
const signIns = Math.floor(numberFromEnv("BENCH_SIGNINS", 10, 0));
const storms = Math.floor(numberFromEnv("BENCH_STORMS", 3, 0));
const stormSize = Math.floor(numberFromEnv("BENCH_STORM_SIZE", 100, 1));
/** Diagnostics: a fixed total request rate instead of as fast as possible (autocannon overallRate). */
const rate = Math.floor(numberFromEnv("BENCH_RATE", 0, 0));
/**
 * Diagnostics: the second server (b′, and e = d on it) runs this other build folder with the
 * fast path on, instead of the same build with UPSTREAM_IN_PROXY=0: a before/after pair.
 */
const baselineDist = process.env.BENCH_BASELINE_DIST || undefined;
/** Diagnostics: sign-ins of a second server that asks for these scopes, paired with the first's. */
const signInBaselineScope = process.env.BENCH_SIGNIN_BASELINE_SCOPE || undefined;
/** Diagnostics: keep the servers up this many seconds after sign-in, before measuring. */
const hold = numberFromEnv("BENCH_HOLD", 0, 0);
const only = (process.env.BENCH_SCENARIOS ?? "a,b,r,c,d").split(",").map((s) => s.trim());
const output = process.env.BENCH_OUTPUT ?? path.join(repoRoot, "docs", "benchmarks.md");
const chartPath = path.join(repoRoot, "docs", "bench-latest.svg");
const cpuProfileDir = process.env.BENCH_CPU_PROF || undefined;
const label = process.env.BENCH_LABEL ?? "";
const tokenTtl = 24 * 3600;
const maxSeconds = 1800;

const alice = demoUsers.alice;
// What the app asks for (bench/servers.ts): with `openid` the password grant also signs an id_token.
const scope = "openid reader editor administrator";
const upstreamPath = "/jsonapi/node/article?page%5Blimit%5D=10";
const accept = "application/vnd.api+json";

interface ScenarioSpec {
  key: "a" | "b" | "r" | "c" | "d" | "e";
  name: string;
  request: string;
  url: string;
  headers: Record<string, string>;
  /** The answer's body, up to JSON:API's random keys of omitted items. */
  expectBody?: string;
  /** The web server whose CPU is counted; none when the API is measured directly. */
  web: BenchServer | undefined;
}

interface Measurement {
  key: ScenarioSpec["key"];
  round: number;
  requests: number;
  reqPerSec: number;
  latencies: number[];
  webCpuMs: number;
  apiCpuMs: number;
  non2xx: number;
  errors: number;
  mismatches: number;
}

function cannon(
  options: autocannon.Options,
  onLatency?: (ms: number) => void,
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error: unknown, result: autocannon.Result) => {
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve(result);
    });
    if (onLatency !== undefined) {
      instance.on("response", (_client, _status, _bytes, responseTime) => onLatency(responseTime));
    }
  });
}

/** JSON:API names omitted items with random keys (`item--<7 chars>`): compare the rest. */
const stable = (body: string) => body.replace(/"item--[A-Za-z0-9_-]{7}"/g, '"item--"');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

async function measure(spec: ScenarioSpec, round: number, api: BenchServer): Promise<Measurement> {
  const latencies: number[] = [];
  const expected = spec.expectBody === undefined ? undefined : stable(spec.expectBody);
  const web = spec.web;
  const webBefore = web === undefined ? 0 : treeCpuMs(web.pid);
  const apiBefore = treeCpuMs(api.pid);
  const started = performance.now();
  const result = await cannon(
    {
      url: spec.url,
      connections,
      pipelining: 1,
      duration,
      headers: spec.headers,
      ...(rate > 0 ? { overallRate: rate } : {}),
      ...(expected === undefined
        ? {}
        : { verifyBody: (body: string | Buffer | undefined) => stable(String(body)) === expected }),
    },
    (ms) => latencies.push(ms),
  );
  const seconds = (performance.now() - started) / 1000;
  const requests = result.requests.total;
  return {
    key: spec.key,
    round,
    requests,
    reqPerSec: requests / seconds,
    latencies,
    webCpuMs: web === undefined ? 0 : treeCpuMs(web.pid) - webBefore,
    apiCpuMs: treeCpuMs(api.pid) - apiBefore,
    non2xx: result.non2xx,
    errors: result.errors,
    mismatches: result.mismatches,
  };
}

async function build(): Promise<void> {
  const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  const next = path.join(repoRoot, "node_modules", "next", "dist", "bin", "next");
  console.log("… building the library, the API and the app (.next-bench)");
  await runToCompletion(
    process.execPath,
    [tsc, "-p", "packages/next-token-bff/tsconfig.build.json"],
    { cwd: repoRoot },
  );
  await runToCompletion(process.execPath, [tsc, "-p", "apps/api/tsconfig.build.json"], {
    cwd: repoRoot,
  });
  await runToCompletion(process.execPath, [next, "build"], {
    cwd: webDir,
    env: { ...process.env, NEXT_DIST_DIR: benchDistDir, NEXT_TELEMETRY_DISABLED: "1" },
  });
}

const form = (params: Record<string, string>) => new URLSearchParams(params).toString();
const formHeaders = { "content-type": "application/x-www-form-urlencoded" };

async function tokenRequest(apiUrl: string, params: Record<string, string>) {
  const response = await fetch(`${apiUrl}/oauth/token`, {
    method: "POST",
    headers: formHeaders,
    body: form({ client_id: upstreamClient.id, client_secret: upstreamClient.secret, ...params }),
  });
  const body = (await response.json()) as { access_token?: string; refresh_token?: string };
  if (response.status !== 200 || body.refresh_token === undefined) {
    throw new Error(`token endpoint answered ${response.status}`);
  }
  return { accessToken: body.access_token ?? "", refreshToken: body.refresh_token };
}

const passwordGrant = (apiUrl: string, grantScope = scope) =>
  tokenRequest(apiUrl, {
    grant_type: "password",
    username: alice.username,
    password: alice.password,
    scope: grantScope,
  });

/** The login form's two requests: next-auth's CSRF token, then the credentials callback. */
async function appSignIn(webUrl: string): Promise<{ csrfMs: number; callbackMs: number }> {
  const jar = new CookieJar();
  const csrf = await timed(async () => {
    const response = await fetch(`${webUrl}/api/auth/csrf`);
    jar.apply(response);
    return ((await response.json()) as { csrfToken: string }).csrfToken;
  });
  const callback = await timed(async () => {
    const response = await fetch(`${webUrl}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { ...formHeaders, cookie: jar.header() },
      body: form({
        csrfToken: csrf.value,
        username: alice.username,
        password: alice.password,
        json: "true",
      }),
    });
    await response.arrayBuffer();
    jar.apply(response);
  });
  if (jar.session() === "") throw new Error("sign-in through the app failed");
  return { csrfMs: csrf.ms, callbackMs: callback.ms };
}

const sessionCookie = "next-auth.session-token";

/**
 * A signed-in jar whose access token the app considers expired: the session cookie is decoded
 * with the secret, `accessTokenExpiresAt` moved into the past and encoded again (the API's
 * tokens live a day in the bench so the load scenarios never refresh). The refresh itself is
 * the real refresh_token grant.
 */
async function expiredSession(webUrl: string, secret: string) {
  const jar = await signInOverHttp(webUrl, alice.username, alice.password);
  const tokens = await tokensOf(jar, secret);
  const claims = await decode({ token: jar.session(), secret });
  if (claims === null || typeof claims.exp !== "number") throw new Error("undecodable session");
  const names = [...jar.cookies.keys()].filter((name) => name.startsWith(sessionCookie));
  if (names.length !== 1) throw new Error(`session cookie in ${names.length} chunks`);
  const value = await encode({
    token: { ...claims, accessTokenExpiresAt: Date.now() - 5_000 },
    secret,
    maxAge: claims.exp - Math.floor(Date.now() / 1000),
  });
  jar.cookies.set(sessionCookie, value);
  return { jar, refreshToken: tokens.refreshToken };
}

interface StormResult {
  /** False: the control storm, same requests with a session that needs no refresh. */
  expired: boolean;
  latencies: number[];
  statuses: Map<number, number>;
  refreshes: number;
  revoked: number;
  newTokens: number;
  wallMs: number;
}

async function refreshStorm(
  webUrl: string,
  secret: string,
  databasePath: string,
  expired: boolean,
): Promise<StormResult> {
  const { jar, refreshToken } = expired
    ? await expiredSession(webUrl, secret)
    : await (async () => {
        const fresh = await signInOverHttp(webUrl, alice.username, alice.password);
        return { jar: fresh, refreshToken: (await tokensOf(fresh, secret)).refreshToken };
      })();
  const headers = { cookie: jar.header(), "x-csrf": "1", accept };
  const statuses = new Map<number, number>();
  const cookies = new Set<string>();
  const started = performance.now();
  const latencies = await Promise.all(
    Array.from({ length: stormSize }, async () => {
      const { ms } = await timed(async () => {
        const response = await fetch(`${webUrl}/api/upstream${upstreamPath}`, { headers });
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        for (const line of response.headers.getSetCookie()) {
          if (line.startsWith(`${sessionCookie}=`)) cookies.add(line.split(";", 1)[0] ?? "");
        }
      });
      return ms;
    }),
  );
  const wallMs = performance.now() - started;
  const family = familyReport(databasePath, refreshToken);
  return {
    expired,
    latencies,
    statuses,
    refreshes: family.refreshes,
    revoked: family.revokedUnrotated,
    newTokens: cookies.size,
    wallMs,
  };
}

function packageVersion(name: string): string {
  for (const base of [webDir, path.join(repoRoot, "packages", "next-token-bff"), repoRoot]) {
    const file = path.join(base, "node_modules", name, "package.json");
    if (existsSync(file)) {
      return (JSON.parse(readFileSync(file, "utf8")) as { version?: string }).version ?? "?";
    }
  }
  return "not installed";
}

function machineLines(loadBefore: number[], loadAfter: number[]): string[] {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? "unknown CPU";
  const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(" ");
  const packages = ["next", "next-auth", "react", "undici", "jose", "autocannon"]
    .map((name) => `${name} ${packageVersion(name)}`)
    .join(", ");
  return [
    `- Machine: ${model}, ${cpus.length} logical cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.platform()} ${os.release()} ${os.arch()}; load average (1/5/15 min) ${load(loadBefore)} before, ${load(loadAfter)} after`,
    `- Node ${process.version}; packages: ${packages}`,
  ];
}

const scenarioNames: Record<ScenarioSpec["key"], string> = {
  a: "a API directly (bearer)",
  b: "b through /api/upstream",
  r: "b′ same, route handler only",
  c: "c floor route handler",
  d: "d /articles page (SSR)",
  e: "d on the second server",
};

function appendReport(text: string): void {
  if (output === "-") return;
  mkdirSync(path.dirname(output), { recursive: true });
  const current = existsSync(output) ? readFileSync(output, "utf8") : "# Benchmarks\n";
  const separator = current.endsWith("\n\n") ? "" : current.endsWith("\n") ? "\n" : "\n\n";
  appendFileSync(output, `${separator}${text}`);
  console.log(`Appended to ${output}`);
}

it(
  "web bench: proxy vs direct vs floor vs page, sign-in, refresh storm",
  async () => {
    const loadBefore = os.loadavg();
    if (process.env.BENCH_SKIP_BUILD !== "1") await build();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "web-bench-"));
    const databasePath = path.join(dataDir, "api.sqlite");
    const secret = newSecret();
    const servers: BenchServer[] = [];
    try {
      const api = await startBenchApi({ databasePath, accessTokenTtl: tokenTtl, maxSeconds });
      servers.push(api);
      const web = await startBenchWeb({
        apiUrl: api.url,
        secret,
        maxSeconds,
        ...(cpuProfileDir === undefined ? {} : { cpuProfileDir }),
      });
      servers.push(web);
      // b′: the same build with the proxy.ts fast path off, for a paired comparison in one run.
      const routeOnly =
        only.includes("r") || only.includes("e")
          ? await startBenchWeb({
              apiUrl: api.url,
              secret,
              maxSeconds,
              env:
                baselineDist === undefined
                  ? { UPSTREAM_IN_PROXY: "0" }
                  : { NEXT_DIST_DIR: baselineDist },
              ...(cpuProfileDir === undefined
                ? {}
                : { cpuProfileDir: path.join(cpuProfileDir, "route-only") }),
            })
          : undefined;
      if (routeOnly !== undefined) servers.push(routeOnly);
      const signInBaselineWeb =
        signInBaselineScope === undefined
          ? undefined
          : await startBenchWeb({
              apiUrl: api.url,
              secret,
              maxSeconds,
              env: { UPSTREAM_SCOPE: signInBaselineScope },
            });
      if (signInBaselineWeb !== undefined) servers.push(signInBaselineWeb);
      console.log(`API ${api.url}, web ${web.url}, route-only web ${routeOnly?.url ?? "–"}`);

      // Sign in through the app (next-auth credentials callback → password grant).
      const jar = await signInOverHttp(web.url, alice.username, alice.password);
      if (hold > 0) {
        console.log(`Holding ${hold} s (BENCH_HOLD). Cookie: ${jar.header()}`);
        await sleep(hold * 1000);
      }
      const tokens = await tokensOf(jar, secret);
      const sessionParts = [...jar.cookies].filter(([name]) => name.startsWith(sessionCookie));
      const cookieBytes = sessionParts.map(([name, value]) => `${name}=${value}`.length);

      // The same payload everywhere: check the bytes before measuring.
      const direct = await fetch(`${api.url}${upstreamPath}`, {
        headers: { authorization: `Bearer ${tokens.accessToken}`, accept },
      });
      const directBody = await direct.text();
      const proxiedHeaders = { cookie: jar.header(), "x-csrf": "1", accept };
      const proxied = await fetch(`${web.url}/api/upstream${upstreamPath}`, {
        headers: proxiedHeaders,
      });
      const proxiedBody = await proxied.text();
      if (
        direct.status !== 200 ||
        proxied.status !== 200 ||
        stable(proxiedBody) !== stable(directBody)
      ) {
        throw new Error(`payload differs: direct ${direct.status}, proxied ${proxied.status}`);
      }
      if (routeOnly !== undefined) {
        const viaRoute = await fetch(`${routeOnly.url}/api/upstream${upstreamPath}`, {
          headers: proxiedHeaders,
        });
        if (viaRoute.status !== 200 || stable(await viaRoute.text()) !== stable(directBody)) {
          throw new Error(`payload through the route handler differs (${viaRoute.status})`);
        }
      }
      const bytes = Buffer.byteLength(directBody);
      const floorUrl = `${web.url}/api/bench-floor?bytes=${bytes}`;
      const floorBody = await (await fetch(floorUrl)).text();
      if (Buffer.byteLength(floorBody) !== bytes) throw new Error("floor body has another size");
      const page = await fetch(`${web.url}/articles`, {
        headers: { cookie: jar.header() },
        redirect: "manual",
      });
      const pageBytes = Buffer.byteLength(await page.text());
      if (page.status !== 200) throw new Error(`/articles answered ${page.status}`);

      const allSpecs: ScenarioSpec[] = [
        {
          key: "a",
          name: scenarioNames.a,
          request: `GET ${upstreamPath} with Authorization: Bearer, on the API`,
          url: `${api.url}${upstreamPath}`,
          headers: { authorization: `Bearer ${tokens.accessToken}`, accept },
          expectBody: directBody,
          web: undefined,
        },
        {
          key: "b",
          name: scenarioNames.b,
          request: `GET /api/upstream${upstreamPath} with the session cookie and X-CSRF: 1`,
          url: `${web.url}/api/upstream${upstreamPath}`,
          headers: proxiedHeaders,
          expectBody: directBody,
          web,
        },
        ...(routeOnly === undefined
          ? []
          : [
              {
                key: "r" as const,
                name: scenarioNames.r,
                request: `as b, on a second next start of the same build with UPSTREAM_IN_PROXY=0: proxy.ts passes the request on and the route handler answers`,
                url: `${routeOnly.url}/api/upstream${upstreamPath}`,
                headers: proxiedHeaders,
                expectBody: directBody,
                web: routeOnly,
              },
            ]),
        ...(routeOnly === undefined
          ? []
          : [
              {
                key: "e" as const,
                name: scenarioNames.e,
                request: `as d, on the second server (${baselineDist ?? "UPSTREAM_IN_PROXY=0"})`,
                url: `${routeOnly.url}/articles`,
                headers: { cookie: jar.header() },
                web: routeOnly,
              },
            ]),
        {
          key: "c",
          name: scenarioNames.c,
          request: `GET /api/bench-floor?bytes=${bytes} with the same headers as b (the cookie is not read; no upstream call; ${bytes} B)`,
          url: floorUrl,
          // What a browser sends to any route of the origin: the session cookie comes along.
          headers: proxiedHeaders,
          expectBody: floorBody,
          web,
        },
        {
          key: "d",
          name: scenarioNames.d,
          request: `GET /articles with the session cookie (proxy.ts, render, upstream list call; ${pageBytes} B HTML)`,
          url: `${web.url}/articles`,
          headers: { cookie: jar.header() },
          web,
        },
      ];
      const specs = allSpecs.filter((spec) => only.includes(spec.key));

      // Sign-in latency: the token endpoint directly vs the app's callback, interleaved.
      const directSignIns: number[] = [];
      const directUserinfo: number[] = [];
      const appCallbacks: number[] = [];
      const appWhole: number[] = [];
      const baselineSignIns = { direct: [] as number[], app: [] as number[] };
      for (let index = 0; index < signIns; index += 1) {
        // The paired baseline first in every other iteration, so neither side always goes first.
        const baselineFirst = index % 2 === 0;
        const baseline = async () => {
          if (signInBaselineWeb === undefined || signInBaselineScope === undefined) return;
          const grant = await timed(() => passwordGrant(api.url, signInBaselineScope));
          baselineSignIns.direct.push(grant.ms);
          baselineSignIns.app.push((await appSignIn(signInBaselineWeb.url)).callbackMs);
        };
        if (baselineFirst) await baseline();
        const grant = await timed(() => passwordGrant(api.url));
        directSignIns.push(grant.ms);
        // userinfo, for reference: the app's sign-in skips it when the token response carries
        // an id_token with the display fields (scope openid), and calls it otherwise.
        const userinfo = await timed(async () => {
          const response = await fetch(`${api.url}/oauth/userinfo`, {
            headers: { authorization: `Bearer ${grant.value.accessToken}` },
          });
          await response.arrayBuffer();
        });
        directUserinfo.push(userinfo.ms);
        const app = await appSignIn(web.url);
        appCallbacks.push(app.callbackMs);
        appWhole.push(app.csrfMs + app.callbackMs);
        if (!baselineFirst) await baseline();
      }

      // Warm-up of every scenario (discarded), then the rounds.
      for (const spec of specs) {
        if (warmup <= 0) break;
        console.log(`… warm-up ${spec.name}`);
        await cannon({ url: spec.url, connections, duration: warmup, headers: spec.headers });
      }
      const measurements: Measurement[] = [];
      for (let round = 1; round <= rounds; round += 1) {
        const order = round % 2 === 1 ? specs : [...specs].reverse();
        for (const spec of order) {
          await sleep(1_000);
          console.log(`… round ${round}: ${spec.name}`);
          measurements.push(await measure(spec, round, api));
        }
      }

      // One refresh and one request, each on its own, to compare the storm with.
      const singleRefresh: number[] = [];
      const singleProxied: number[] = [];
      const singleExpired: number[] = [];
      let refreshChain = storms > 0 ? (await passwordGrant(api.url)).refreshToken : "";
      for (let index = 0; index < (storms > 0 ? 5 : 0); index += 1) {
        const refreshed = await timed(() =>
          tokenRequest(api.url, { grant_type: "refresh_token", refresh_token: refreshChain }),
        );
        refreshChain = refreshed.value.refreshToken;
        singleRefresh.push(refreshed.ms);
      }
      // One connection, one request at a time, interleaved: b and a without queueing.
      const singleDirect: number[] = [];
      for (let index = 0; index < 30; index += 1) {
        const proxiedOne = await timed(async () => {
          const response = await fetch(`${web.url}/api/upstream${upstreamPath}`, {
            headers: proxiedHeaders,
          });
          await response.arrayBuffer();
        });
        singleProxied.push(proxiedOne.ms);
        const directOne = await timed(async () => {
          const response = await fetch(`${api.url}${upstreamPath}`, {
            headers: { authorization: `Bearer ${tokens.accessToken}`, accept },
          });
          await response.arrayBuffer();
        });
        singleDirect.push(directOne.ms);
      }
      for (let index = 0; index < (storms > 0 ? 3 : 0); index += 1) {
        const { jar: expired } = await expiredSession(web.url, secret);
        const { ms, value: status } = await timed(async () => {
          const response = await fetch(`${web.url}/api/upstream${upstreamPath}`, {
            headers: { cookie: expired.header(), "x-csrf": "1", accept },
          });
          await response.arrayBuffer();
          return response.status;
        });
        if (status !== 200) throw new Error(`a single expired request answered ${status}`);
        singleExpired.push(ms);
      }
      const stormResults: StormResult[] = [];
      for (let index = 0; index < storms; index += 1) {
        console.log(`… refresh storm ${index + 1}`);
        // The control first: the same storm with a session that needs no refresh.
        stormResults.push(await refreshStorm(web.url, secret, databasePath, false));
        await sleep(500);
        stormResults.push(await refreshStorm(web.url, secret, databasePath, true));
        await sleep(500);
      }

      const peakRss = treePeakRss(web.pid);
      const loadAfter = os.loadavg();
      const report = renderReport({
        specs,
        measurements,
        bytes,
        cookieBytes,
        directSignIns,
        directUserinfo,
        baselineSignIns:
          signInBaselineScope === undefined
            ? undefined
            : { scope: signInBaselineScope, ...baselineSignIns },
        appCallbacks,
        appWhole,
        singleRefresh,
        singleProxied,
        singleDirect,
        singleExpired,
        stormResults,
        peakRss,
        loadBefore,
        loadAfter,
      });
      console.log(`\n${report.markdown}`);
      appendReport(report.markdown);
      if (output !== "-") writeFileSync(chartPath, report.svg);
    } finally {
      for (const server of servers.reverse()) await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
      if (cpuProfileDir !== undefined) console.log(`CPU profile of next start in ${cpuProfileDir}`);
    }
  },
  30 * 60_000,
);

interface ReportInput {
  specs: ScenarioSpec[];
  measurements: Measurement[];
  bytes: number;
  cookieBytes: number[];
  directSignIns: number[];
  directUserinfo: number[];
  /** BENCH_SIGNIN_BASELINE_SCOPE: token endpoint and app callback with that scope, same loop. */
  baselineSignIns: { scope: string; direct: number[]; app: number[] } | undefined;
  appCallbacks: number[];
  appWhole: number[];
  singleRefresh: number[];
  singleProxied: number[];
  singleDirect: number[];
  singleExpired: number[];
  stormResults: StormResult[];
  peakRss: number;
  loadBefore: number[];
  loadAfter: number[];
}

const verdict = (ok: boolean) => (ok ? "met" : "**missed**");

function renderReport(input: ReportInput): { markdown: string; svg: string } {
  const { specs, measurements } = input;
  const of = (key: ScenarioSpec["key"]) => measurements.filter((m) => m.key === key);
  const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
  const summary = new Map(
    specs.map((spec) => {
      const rows = of(spec.key);
      const latencies = rows.flatMap((row) => row.latencies).sort((a, b) => a - b);
      const requests = rows.reduce((sum, row) => sum + row.requests, 0);
      return [
        spec.key,
        {
          spec,
          rows,
          reqPerSec: mean(rows.map((row) => row.reqPerSec)),
          p50: percentile(latencies, 0.5),
          p99: percentile(latencies, 0.99),
          webCpu:
            spec.web !== undefined
              ? rows.reduce((sum, row) => sum + row.webCpuMs, 0) / requests
              : Number.NaN,
          apiCpu: rows.reduce((sum, row) => sum + row.apiCpuMs, 0) / requests,
          requests,
          failures: rows.reduce((sum, row) => sum + row.non2xx + row.errors + row.mismatches, 0),
        },
      ] as const;
    }),
  );
  const perRound = (key: ScenarioSpec["key"]) =>
    of(key)
      .map((row) => grouped(row.reqPerSec))
      .join(" / ");
  const table = alignedTable(
    [
      "scenario",
      "req/s (per round)",
      "p50 ms",
      "p99 ms",
      "web CPU ms/req",
      "API CPU ms/req",
      "requests",
      "failed",
    ],
    [...summary.values()].map((s) => [
      s.spec.name,
      `${grouped(s.reqPerSec)} (${perRound(s.spec.key)})`,
      fixed(s.p50, 2),
      fixed(s.p99, 2),
      s.spec.web !== undefined ? fixed(s.webCpu, 3) : "–",
      fixed(s.apiCpu, 3),
      grouped(s.requests),
      String(s.failures),
    ]),
    [false, true, true, true, true, true, true, true],
  );

  const ratio = (top: ScenarioSpec["key"], bottom: ScenarioSpec["key"]) => {
    const pairs = of(top).map((row) => {
      const other = of(bottom).find((candidate) => candidate.round === row.round);
      return other === undefined ? Number.NaN : row.reqPerSec / other.reqPerSec;
    });
    return { pairs, mean: mean(pairs) };
  };
  const lines: string[][] = [];
  const a = summary.get("a");
  const b = summary.get("b");
  const c = summary.get("c");
  if (b !== undefined && c !== undefined) {
    const r = ratio("b", "c");
    lines.push(
      [
        `b/c throughput (target ≥ 0.80)`,
        `${r.pairs.map((v) => fixed(v, 2)).join(" / ")}`,
        `${fixed(r.mean, 2)}`,
        `${verdict(r.mean >= 0.8)}`,
      ],
      [`b − c web CPU ms/req (auth + forwarding)`, "", fixed(b.webCpu - c.webCpu, 3), ""],
    );
  }
  const r = summary.get("r");
  if (r !== undefined && c !== undefined) {
    const pairs = ratio("r", "c");
    lines.push([
      `b′/c throughput (route handler only)`,
      pairs.pairs.map((v) => fixed(v, 2)).join(" / "),
      fixed(pairs.mean, 2),
      "",
    ]);
  }
  if (r !== undefined && b !== undefined) {
    const pairs = ratio("b", "r");
    lines.push(
      [
        `b/b′ throughput (what answering in proxy.ts buys)`,
        pairs.pairs.map((v) => fixed(v, 2)).join(" / "),
        fixed(pairs.mean, 2),
        "",
      ],
      [`b − b′ web CPU ms/req`, "", fixed(b.webCpu - r.webCpu, 3), ""],
    );
  }
  if (b !== undefined && a !== undefined) {
    const r = ratio("b", "a");
    lines.push(
      [
        `b/a throughput`,
        `${r.pairs.map((v) => fixed(v, 2)).join(" / ")}`,
        `${fixed(r.mean, 2)}`,
        "",
      ],
      [`p50 b − a, ms (target ≤ 1)`, "", fixed(b.p50 - a.p50, 2), verdict(b.p50 - a.p50 <= 1)],
    );
  }
  if (input.singleProxied.length > 0) {
    const gap = median(input.singleProxied) - median(input.singleDirect);
    lines.push([
      `p50 b − a, one request at a time (no queueing)`,
      `${fixed(median(input.singleProxied), 2)} − ${fixed(median(input.singleDirect), 2)} ms`,
      fixed(gap, 2),
      verdict(gap <= 1),
    ]);
  }
  const signInRatio = median(input.appCallbacks) / median(input.directSignIns);
  if (input.directSignIns.length > 0) {
    lines.push([
      `sign-in: app callback p50 ÷ token endpoint p50 (target ≤ 1.5)`,
      `${fixed(median(input.appCallbacks), 1)} ms ÷ ${fixed(median(input.directSignIns), 1)} ms`,
      `${fixed(signInRatio, 2)}`,
      `${verdict(signInRatio <= 1.5)}`,
    ]);
    const upstreamPart = median(input.directSignIns) + median(input.directUserinfo);
    lines.push([
      `sign-in: app callback p50 ÷ (token endpoint + userinfo) p50`,
      `${fixed(median(input.appCallbacks), 1)} ms ÷ ${fixed(upstreamPart, 1)} ms`,
      fixed(median(input.appCallbacks) / upstreamPart, 2),
      "",
    ]);
  }
  const baseline = input.baselineSignIns;
  if (baseline !== undefined && baseline.direct.length > 0) {
    const baselineRatio = median(baseline.app) / median(baseline.direct);
    lines.push([
      `same, paired baseline server with UPSTREAM_SCOPE \`${baseline.scope}\``,
      `${fixed(median(baseline.app), 1)} ms ÷ ${fixed(median(baseline.direct), 1)} ms`,
      fixed(baselineRatio, 2),
      verdict(baselineRatio <= 1.5),
    ]);
  }
  const allStorms = input.stormResults;
  const storms = allStorms.filter((s) => s.expired);
  const controls = allStorms.filter((s) => !s.expired);
  const p99Of = (s: StormResult) =>
    percentile(
      [...s.latencies].sort((x, y) => x - y),
      0.99,
    );
  const oneRefreshOneRequest = median(input.singleRefresh) + median(input.singleProxied);
  if (storms.length > 0) {
    const worstP99 = Math.max(...storms.map(p99Of));
    // Each storm runs right after its control: pair them, take the median difference.
    const added = median(storms.map((s, index) => p99Of(s) - p99Of(controls[index] ?? s)));
    const exactlyOne = storms.every((s) => s.refreshes === 1 && s.revoked === 0);
    lines.push(
      [
        `refresh storms: upstream refreshes each (target exactly 1)`,
        `${storms.map((s) => s.refreshes).join(" / ")} (controls ${controls.map((s) => s.refreshes).join(" / ")})`,
        "",
        verdict(exactlyOne),
      ],
      [
        `storm p99 ÷ (one refresh + one request) (target ≤ 2)`,
        `${fixed(worstP99, 1)} ms ÷ ${fixed(oneRefreshOneRequest, 1)} ms`,
        `${fixed(worstP99 / oneRefreshOneRequest, 2)}`,
        `${verdict(worstP99 <= 2 * oneRefreshOneRequest)}`,
      ],
      [
        `storm p99 − its control's p99, median over storms (what the refresh adds), ÷ (one refresh + one request)`,
        `${fixed(added, 1)} ms ÷ ${fixed(oneRefreshOneRequest, 1)} ms`,
        fixed(added / oneRefreshOneRequest, 2),
        verdict(added <= 2 * oneRefreshOneRequest),
      ],
    );
  }
  const cookieTotal = input.cookieBytes.reduce((sum, v) => sum + v, 0);
  lines.push([
    `session cookie (target ≤ 4,096 B, one chunk)`,
    `${input.cookieBytes.length} chunk(s)`,
    `${cookieTotal} B`,
    `${verdict(input.cookieBytes.length === 1 && cookieTotal <= 4096)}`,
  ]);
  const targets = alignedTable(["check", "per round / inputs", "value", "target"], lines, [
    false,
    true,
    true,
    false,
  ]);

  const stormRows = allStorms.map((s, index) => {
    const sorted = [...s.latencies].sort((x, y) => x - y);
    const statuses = [...s.statuses].map(([code, count]) => `${code}×${count}`).join(", ");
    return [
      `${Math.floor(index / 2) + 1} ${s.expired ? "expired" : "control (no refresh due)"}`,
      statuses,
      String(s.refreshes),
      String(s.revoked),
      String(s.newTokens),
      fixed(percentile(sorted, 0.5), 1),
      fixed(percentile(sorted, 0.99), 1),
      fixed(s.wallMs, 1),
    ];
  });
  const stormTable =
    allStorms.length === 0
      ? "(no storms in this run)"
      : alignedTable(
          [
            "storm",
            "statuses",
            "upstream refreshes",
            "family revocations",
            "new cookies seen",
            "p50 ms",
            "p99 ms",
            "wall ms",
          ],
          stormRows,
          [false, false, true, true, true, true, true, true],
        );

  const when = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const sample = (values: number[]) =>
    values.length === 0
      ? "–"
      : `p50 ${fixed(median(values), 1)} ms (min ${fixed(Math.min(...values), 1)}, max ${fixed(Math.max(...values), 1)}, n=${values.length})`;
  const markdown = [
    `## Web proxy bench, ${when}${label === "" ? "" : ` (${label})`}`,
    "",
    ...machineLines(input.loadBefore, input.loadAfter),
    `- Setup (\`npm run bench\`, \`apps/web/bench/web.bench-run.ts\`): \`next build\` + \`next start\` (NODE_ENV=production, \`.next-bench\`), the reference API (\`node apps/api/dist/cli.js serve\`, temp SQLite, demo data, login limits raised, 24 h access tokens) and autocannon in the bench process, all on this machine's cores, loopback. Signed in as alice through next-auth's credentials callback. Payload: the API's answer to \`GET ${upstreamPath}\`, ${input.bytes} B, checked in every response of a and b (byte for byte up to JSON:API's random \`item--\` keys of omitted items) and c (same length).`,
    `- Load: ${connections} connections, pipelining 1; ${warmup} s warm-up per scenario (discarded), then ${rounds} round(s) of ${duration} s per scenario, every other round in reverse order, 1 s pause between. Latencies from autocannon's per-response timings (sub-millisecond). CPU: utime + stime from \`/proc/<pid>/stat\` of the \`next start\` process tree (resp. the API's) over the scenario ÷ requests. Colleagues' test suites share the machine: compare rows of one section, and ratios rather than absolute numbers.`,
    "",
    table,
    "",
    ...specs.map((spec) => `- ${spec.key}: \`${spec.request}\``),
    "",
    targets,
    "",
    `Sign-in (sequential, interleaved): token endpoint directly ${sample(input.directSignIns)}; userinfo directly (the app's sign-in calls it only without a usable id_token): ${sample(input.directUserinfo)}; through the app, credentials callback ${sample(input.appCallbacks)}; CSRF fetch + callback ${sample(input.appWhole)}.${
      baseline === undefined
        ? ""
        : ` Paired baseline (UPSTREAM_SCOPE \`${baseline.scope}\`, same loop, alternating order): token endpoint directly ${sample(baseline.direct)}; app callback ${sample(baseline.app)}; app callback minus the baseline's, median of the ${baseline.app.length} pairs: ${fixed(median(input.appCallbacks.map((ms, index) => ms - (baseline.app[index] ?? ms))), 1)} ms.`
    }`,
    "",
    `Refresh storms: ${storms.length} × ${stormSize} concurrent \`GET /api/upstream…\` with one session whose access token the app considers expired (cookie re-encoded with \`accessTokenExpiresAt\` in the past; the refresh is the real refresh_token grant, counted in the API's \`oauth_tokens\` table), each after a control storm of the same requests with a fresh session (no refresh due): ${stormSize} requests on new connections queue on one event loop, so the control shows the part of the latency that is not the refresh. For comparison, one refresh_token grant directly: ${sample(input.singleRefresh)}; one proxied request (one at a time, interleaved with one direct request: ${sample(input.singleDirect)}): ${sample(input.singleProxied)}; one expired request through the app (refresh + request): ${sample(input.singleExpired)}.`,
    "",
    stormTable,
    "",
    `Session cookie: ${input.cookieBytes.map((n) => `${n} B`).join(" + ")} (\`name=value\` as the browser sends it). Web server peak RSS (VmHWM, largest process of the tree): ${fixed(input.peakRss / 2 ** 20, 1)} MiB.`,
    "",
    `![req/s and web CPU per request](bench-latest.svg) (\`docs/bench-latest.svg\`, redrawn by every run)`,
    "",
  ].join("\n");

  const bars: ChartBar[] = [...summary.values()].map((s) => ({
    label: s.spec.name,
    reqPerSec: s.reqPerSec,
    cpuMsPerReq: s.spec.web !== undefined ? s.webCpu : undefined,
  }));
  const svg = barChartSvg(`npm run bench, ${when}, ${connections} connections`, bars);
  return { markdown, svg };
}
