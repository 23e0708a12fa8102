import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { webServerEnv } from "../test/support/context";
import { freePort, startProcess, stopProcess, waitForHttp } from "../test/support/processes";

/**
 * The servers of `npm run bench`: the reference API (temp database, demo data, login limits
 * raised) and `next start` of the bench build (`.next-bench`), both on loopback and free ports,
 * both ended by `timeout` even if the bench dies. CPU and memory are read from `/proc`.
 */
export const webDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
export const repoRoot = path.join(webDir, "..", "..");
export const benchDistDir = ".next-bench";
const apiDir = path.join(repoRoot, "apps", "api");
const nextBin = path.join(repoRoot, "node_modules", "next", "dist", "bin", "next");
const loginLimit = "1000000";

export interface BenchServer {
  url: string;
  /** The `timeout` wrapper's pid; the server is its descendant. */
  pid: number;
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
    {
      cwd: webDir,
      maxSeconds: options.maxSeconds,
      env: {
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
      },
    },
  );
  await waitForHttp(`${url}/login`, 60_000, proc.output);
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

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime, clock ticks. */
  ticks: number;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name may contain spaces and parentheses: fields start after the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const field = (index: number) => Number(fields[index - 3]);
  return { pid, ppid: field(4), ticks: field(14) + field(15) };
}

/** The pids of `root` and all its descendants. */
export function processTree(root: number): number[] {
  const stats: ProcStat[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat !== undefined) stats.push(stat);
  }
  const tree = new Set([root]);
  let grown = true;
  while (grown) {
    grown = false;
    for (const stat of stats) {
      if (!tree.has(stat.pid) && tree.has(stat.ppid)) {
        tree.add(stat.pid);
        grown = true;
      }
    }
  }
  return [...tree];
}

/** Clock ticks per second of `/proc/<pid>/stat` (USER_HZ); 100 on Linux. */
const ticksPerSecond = 100;

/** CPU time (ms, user + system) used so far by `root` and its descendants. */
export function treeCpuMs(root: number): number {
  let ticks = 0;
  for (const pid of processTree(root)) ticks += readStat(pid)?.ticks ?? 0;
  return (ticks * 1000) / ticksPerSecond;
}

/** The largest peak resident set (VmHWM, bytes) among `root` and its descendants. */
export function treePeakRss(root: number): number {
  let peak = 0;
  for (const pid of processTree(root)) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
      if (match?.[1] !== undefined) peak = Math.max(peak, Number(match[1]) * 1024);
    } catch {
      // the process ended
    }
  }
  return peak;
}
