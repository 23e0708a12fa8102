import path from "node:path";
import { describeMachine, packageVersions } from "../../../bench-support/machine.js";
import { sectionTime } from "../../../bench-support/report-file.js";
import { alignedTable, fixed } from "../../../bench-support/stats.js";
import { type ChartBar, barChartSvg } from "./chart";
import type { ClusterStart } from "./cluster";
import { config, repoRoot, upstreamPath, webDir } from "./config";
import type { Measurement } from "./load";
import type { StormResult } from "./refresh-storm";
import { clusterParagraph, floorAndClusterLines } from "./report-floor";
import { verdict } from "./report-format";
import { signInLines, signInParagraph } from "./report-sign-in";
import { stormLines, stormParagraph, stormTable } from "./report-storms";
import { scenarioTable, summarize } from "./report-summary";
import { throughputLines } from "./report-throughput";
import type { ScenarioSpec } from "./scenarios";
import type { SignInTimes } from "./sign-in";
import type { SingleRequestTimes } from "./single-requests";

/** Everything one run measured. */
export interface ReportInput {
  specs: ScenarioSpec[];
  measurements: Measurement[];
  /** The payload's size. */
  bytes: number;
  cookieBytes: number[];
  signIns: SignInTimes;
  singles: SingleRequestTimes;
  stormResults: StormResult[];
  /** Two instances: how they started, who served the check reads, their storms. */
  cluster: ClusterStart | undefined;
  servedBy: { pair: string[]; one: string[] } | undefined;
  clusterStorms: StormResult[];
  peakRss: number;
  loadBefore: number[];
  loadAfter: number[];
}

function machineLines(loadBefore: number[], loadAfter: number[]): string[] {
  const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(" ");
  const packages = packageVersions(
    ["next", "next-auth", "react", "undici", "jose", "autocannon"],
    [webDir, path.join(repoRoot, "packages", "next-token-bff"), repoRoot],
  );
  return [
    `- Machine: ${describeMachine()}; load average (1/5/15 min) ${load(loadBefore)} before, ${load(loadAfter)} after`,
    `- Node ${process.version}; packages: ${packages}`,
  ];
}

function cookieLine(cookieBytes: number[]): string[] {
  const total = cookieBytes.reduce((sum, v) => sum + v, 0);
  return [
    `session cookie (target ≤ 4,096 B, one chunk)`,
    `${cookieBytes.length} chunk(s)`,
    `${total} B`,
    verdict(cookieBytes.length === 1 && total <= 4096),
  ];
}

/** The run's section of docs/benchmarks.md and the bar chart of docs/bench-latest.svg. */
export function renderReport(input: ReportInput): { markdown: string; svg: string } {
  const { connections, duration, label, rounds, warmup } = config;
  const summary = summarize(input.specs, input.measurements);
  const targets = alignedTable(
    ["check", "per round / inputs", "value", "target"],
    [
      ...throughputLines(summary, input.measurements, input.singles),
      ...signInLines(input.signIns),
      ...stormLines(input.stormResults, input.singles),
      ...floorAndClusterLines(summary, input.measurements, input.clusterStorms),
      cookieLine(input.cookieBytes),
    ],
    [false, true, true, false],
  );
  const when = sectionTime();
  const markdown = [
    `## Web proxy bench, ${when}${label === "" ? "" : ` (${label})`}`,
    "",
    ...machineLines(input.loadBefore, input.loadAfter),
    `- Setup (\`npm run bench\`, \`apps/web/bench/run.ts\`): \`next build\` + \`next start\` (NODE_ENV=production, \`.next-bench\`), the reference API (\`node apps/api/dist/cli.js serve\`, temp SQLite, demo data, login limits raised, 24 h access tokens) and autocannon in the bench process, all on this machine's cores, loopback. Signed in as alice through next-auth's credentials callback. The bare Next.js app of t/f and d/p (\`apps/web/bench/floor-app\`, same Next, its own \`.next-bench\`) runs beside it with alice's access token as its fixed bearer. Payload: the API's answer to \`GET ${upstreamPath}\`, ${input.bytes} B, checked in every response of a and b (byte for byte up to JSON:API's random \`item--\` keys of omitted items) and c (same length).`,
    `- Load: ${connections} connections, pipelining 1; ${warmup} s warm-up per scenario (discarded), then ${rounds} round(s) of ${duration} s per scenario, every other round in reverse order, 1 s pause between. Latencies from autocannon's per-response timings (sub-millisecond). CPU: utime + stime from \`/proc/<pid>/stat\` of the \`next start\` process tree (resp. the API's) over the scenario ÷ requests. Colleagues' test suites share the machine: compare rows of one section, and ratios rather than absolute numbers.`,
    "",
    scenarioTable(summary, input.measurements),
    "",
    ...input.specs.map((spec) => `- ${spec.key}: \`${spec.request}\``),
    "",
    targets,
    "",
    signInParagraph(input.signIns),
    "",
    stormParagraph(input.stormResults, input.singles),
    "",
    stormTable(input.stormResults),
    "",
    ...clusterParagraph(input.cluster, input.servedBy, input.clusterStorms),
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
