import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { cannon } from "../../../bench-support/load.js";
import { config } from "./config";
import { stable } from "./payloads";
import { treeCpuMs } from "./process-tree";
import type { ScenarioSpec } from "./scenarios";
import type { BenchServer } from "./servers";
import { sleep } from "./timing";

/** One scenario in one round. */
export interface Measurement {
  key: ScenarioSpec["key"];
  round: number;
  requests: number;
  reqPerSec: number;
  latencies: number[];
  webCpuMs: number;
  apiCpuMs: number;
  /** nginx's, when the scenario goes through the balancer. */
  balancerCpuMs: number;
  /** When it ran: µs of the monotonic clock, the one `--cpu-prof` profiles are stamped with. */
  window: { startUs: number; endUs: number };
  non2xx: number;
  errors: number;
  mismatches: number;
}

/** CPU of a server's process tree, or of all servers behind a balancer. */
const cpuOf = (server: BenchServer | undefined) =>
  (server === undefined ? [] : (server.members ?? [server])).reduce(
    (sum, member) => sum + treeCpuMs(member.pid),
    0,
  );
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

async function measure(spec: ScenarioSpec, round: number, api: BenchServer): Promise<Measurement> {
  const { connections, duration, rate } = config;
  const latencies: number[] = [];
  const expected = spec.expectBody === undefined ? undefined : stable(spec.expectBody);
  const { web, balancer } = spec;
  const webBefore = cpuOf(web);
  const balancerBefore = cpuOf(balancer);
  const apiBefore = treeCpuMs(api.pid);
  const started = performance.now();
  const startUs = monotonicUs();
  const result = await cannon(
    {
      url: spec.url,
      connections,
      pipelining: 1,
      duration,
      headers: spec.headers,
      ...(spec.method === undefined ? {} : { method: spec.method, body: spec.body }),
      ...(rate > 0 ? { overallRate: rate } : {}),
      ...(expected === undefined
        ? {}
        : { verifyBody: (body: string | Buffer | undefined) => stable(String(body)) === expected }),
    },
    (ms) => latencies.push(ms),
  );
  const endUs = monotonicUs();
  const seconds = (performance.now() - started) / 1000;
  const requests = result.requests.total;
  return {
    key: spec.key,
    round,
    requests,
    reqPerSec: requests / seconds,
    latencies,
    webCpuMs: cpuOf(web) - webBefore,
    apiCpuMs: treeCpuMs(api.pid) - apiBefore,
    balancerCpuMs: cpuOf(balancer) - balancerBefore,
    window: { startUs, endUs },
    non2xx: result.non2xx,
    errors: result.errors,
    mismatches: result.mismatches,
  };
}

/**
 * Warm-up of every scenario (discarded), then BENCH_ROUNDS rounds, every other one in reverse
 * order so no scenario always runs on a machine the one before has just heated.
 */
export async function runLoad(specs: ScenarioSpec[], api: BenchServer): Promise<Measurement[]> {
  const { connections, rounds, warmup } = config;
  for (const spec of specs) {
    if (warmup <= 0) break;
    console.log(`… warm-up ${spec.name}`);
    await cannon({
      url: spec.url,
      connections,
      duration: warmup,
      headers: spec.headers,
      ...(spec.method === undefined ? {} : { method: spec.method, body: spec.body }),
    });
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
  return measurements;
}

/** When each scenario ran, for `bench/profile-summary.ts --windows` (profile clock, µs). */
export function writeWindows(dir: string, measurements: Measurement[]): void {
  const windows = measurements.map(({ key, round, requests, window }) => ({
    key,
    round,
    requests,
    ...window,
  }));
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "windows.json"), `${JSON.stringify(windows, null, 1)}\n`);
}
