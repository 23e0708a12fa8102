import path from "node:path";
import { webServerEnv } from "../test/support/context";
import { freePort, startProcess, stopProcess, waitForHttp } from "../test/support/processes";
import { benchDistDir, repoRoot, webDir } from "./config";

/**
 * The servers of `npm run bench`: the reference API (temp database, demo data, login limits
 * raised) and `next start` of the bench build (`.next-bench`), both on loopback and free ports,
 * both ended by `timeout` even if the bench dies.
 */
const apiDir = path.join(repoRoot, "apps", "api");
const nextBin = path.join(repoRoot, "node_modules", "next", "dist", "bin", "next");
const loginLimit = "1000000";

export interface BenchServer {
  url: string;
  /** The `timeout` wrapper's pid; the server is its descendant. */
  pid: number;
  /** Several servers behind one URL (a balancer): CPU is counted over these instead of `pid`. */
  members?: BenchServer[];
  output: () => string;
  stop: () => Promise<void>;
}

export async function startBenchApi(options: {
  databasePath: string;
  accessTokenTtl: number;
  maxSeconds: number;
}): Promise<BenchServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = startProcess(process.execPath, [path.join(apiDir, "dist", "cli.js"), "serve"], {
    cwd: apiDir,
    maxSeconds: options.maxSeconds,
    env: {
      ...process.env,
      NODE_ENV: "production",
      API_HOST: "127.0.0.1",
      API_PORT: String(port),
      DATABASE_PATH: options.databasePath,
      DEMO_DATA: "1",
      ACCESS_TOKEN_TTL: String(options.accessTokenTtl),
      LOG_LEVEL: "warn",
      // Sign-ins of one account in parallel would otherwise meet the per-account limit (5).
      LOGIN_FAILURES_PER_USER: loginLimit,
      LOGIN_FAILURES_PER_IP: loginLimit,
    },
  });
  await waitForHttp(`${url}/jsonapi`, 30_000, proc.output);
  return {
    url,
    pid: requirePid(proc.child.pid),
    output: proc.output,
    stop: () => stopProcess(proc.child),
  };
}

export async function startBenchWeb(options: {
  apiUrl: string;
  secret: string;
  maxSeconds: number;
  /** Directory for a `--cpu-prof` profile of the whole run (written when the server stops). */
  cpuProfileDir?: string;
  /** Extra environment, e.g. `UPSTREAM_IN_PROXY: "0"`. */
  env?: Record<string, string>;
}): Promise<BenchServer> {
  return startNextServer({
    cwd: webDir,
    readyPath: "/login",
    maxSeconds: options.maxSeconds,
    cpuProfileDir: options.cpuProfileDir,
    env: (url) => ({
      ...webServerEnv({
        url,
        secret: options.secret,
        apiUrl: options.apiUrl,
        distDir: benchDistDir,
      }),
      REDIS_URL: "",
      // Scenario c's route answers 404 in any app started without it.
      BENCH_FLOOR_ROUTE: "1",
      ...options.env,
    }),
  });
}

/** `next start` of a bench build on a free loopback port, optionally under `--cpu-prof`. */
export async function startNextServer(options: {
  cwd: string;
  /** Answers once the server is up. */
  readyPath: string;
  maxSeconds: number;
  cpuProfileDir: string | undefined;
  env: (url: string) => NodeJS.ProcessEnv;
}): Promise<BenchServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Node refuses --cpu-prof in NODE_OPTIONS: it goes on the command line (fast-proxy.md §3).
  const profile =
    options.cpuProfileDir === undefined
      ? []
      : ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`];
  const proc = startProcess(
    process.execPath,
    [...profile, nextBin, "start", "-p", String(port), "-H", "127.0.0.1"],
    { cwd: options.cwd, maxSeconds: options.maxSeconds, env: options.env(url) },
  );
  await waitForHttp(`${url}${options.readyPath}`, 60_000, proc.output);
  return {
    url,
    pid: requirePid(proc.child.pid),
    output: proc.output,
    stop: () => stopProcess(proc.child),
  };
}

function requirePid(pid: number | undefined): number {
  if (pid === undefined) throw new Error("the server process has no pid");
  return pid;
}
