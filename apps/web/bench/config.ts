import path from "node:path";
import { fileURLToPath } from "node:url";
import { numberFromEnv } from "../../../bench-support/env.js";
import { demoUsers } from "../test/support/context";

/**
 * The knobs of `npm run bench` (web part), from the environment: BENCH_DURATION (s per scenario
 * and round, default 8), BENCH_WARMUP (s per scenario, default 3), BENCH_ROUNDS (2),
 * BENCH_CONNECTIONS (10), BENCH_SIGNINS (10), BENCH_STORMS (3), BENCH_STORM_SIZE (100),
 * BENCH_SCENARIOS (e.g. "b,c"; default all), BENCH_SKIP_BUILD=1, BENCH_CPU_PROF=<dir>
 * (`node --cpu-prof` on `next start` of the app, and of the bare app in <dir>/floor; the measured
 * windows go to <dir>/windows.json for `bench/profile-summary.ts`), BENCH_RATE (total req/s,
 * diagnostics), BENCH_HOLD (s to
 * keep the servers up first), BENCH_OUTPUT (file to append to; `-` = don't write), BENCH_LABEL
 * (a note for the section), BENCH_BASELINE_DIST and BENCH_SIGNIN_BASELINE_SCOPE (below). Only
 * sign-in: BENCH_SCENARIOS=none BENCH_STORMS=0.
 */
export const webDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
export const repoRoot = path.join(webDir, "..", "..");
/** The bench's own build folder: a developer's `.next` and the tests' `.next-test` stay. */
export const benchDistDir = ".next-bench";
/** The bare Next.js app the floor scenarios (f, p) run on: not product code. */
export const floorAppDir = path.join(webDir, "bench", "floor-app");

export const config = {
  duration: numberFromEnv("BENCH_DURATION", 8, 1),
  warmup: numberFromEnv("BENCH_WARMUP", 3, 0),
  rounds: Math.floor(numberFromEnv("BENCH_ROUNDS", 2, 1)),
  connections: Math.floor(numberFromEnv("BENCH_CONNECTIONS", 10, 1)),
  signIns: Math.floor(numberFromEnv("BENCH_SIGNINS", 10, 0)),
  storms: Math.floor(numberFromEnv("BENCH_STORMS", 3, 0)),
  stormSize: Math.floor(numberFromEnv("BENCH_STORM_SIZE", 100, 1)),
  /** Diagnostics: a fixed total request rate instead of as fast as possible (autocannon overallRate). */
  rate: Math.floor(numberFromEnv("BENCH_RATE", 0, 0)),
  /**
   * Diagnostics: the second server (b′, and e = d on it) runs this other build folder with the
   * fast path on, instead of the same build with UPSTREAM_IN_PROXY=0: a before/after pair.
   */
  baselineDist: process.env.BENCH_BASELINE_DIST || undefined,
  /**
   * Diagnostics: a second `next start` with this UPSTREAM_SCOPE (e.g. without `openid`): its
   * sign-ins and the token endpoint with that scope are measured in the same loop, a paired
   * before/after of the sign-in.
   */
  signInBaselineScope: process.env.BENCH_SIGNIN_BASELINE_SCOPE || undefined,
  /** Diagnostics: keep the servers up this many seconds after sign-in, before measuring. */
  hold: numberFromEnv("BENCH_HOLD", 0, 0),
  only: (process.env.BENCH_SCENARIOS ?? "a,b,r,w,c,d,t,f,p,m,o").split(",").map((s) => s.trim()),
  skipBuild: process.env.BENCH_SKIP_BUILD === "1",
  output: process.env.BENCH_OUTPUT ?? path.join(repoRoot, "docs", "benchmarks.md"),
  chartPath: path.join(repoRoot, "docs", "bench-latest.svg"),
  cpuProfileDir: process.env.BENCH_CPU_PROF || undefined,
  label: process.env.BENCH_LABEL ?? "",
};

/** The API's access tokens live a day, so the load scenarios never refresh. */
export const tokenTtl = 24 * 3600;
/** Every server is ended by `timeout` after this long, even if the bench dies. */
export const maxSeconds = 1800;
export const alice = demoUsers.alice;
// What the app asks for (webServerEnv): with `openid` the password grant also signs an id_token.
export const scope = "openid reader editor administrator";
export const upstreamPath = "/jsonapi/node/article?page%5Blimit%5D=10";
export const accept = "application/vnd.api+json";
export const sessionCookie = "next-auth.session-token";
