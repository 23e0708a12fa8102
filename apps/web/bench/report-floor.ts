import { fixed } from "../../../bench-support/stats.js";
import type { ClusterStart } from "./cluster";
import type { Measurement } from "./load";
import type { StormResult } from "./refresh-storm";
import { mean, verdict } from "./report-format";
import { stormTable } from "./report-storms";
import { type Summaries, roundsOf } from "./report-summary";
import type { ScenarioSpec } from "./scenarios";

type Key = ScenarioSpec["key"];

/** `top ÷ bottom` of a per-round quantity, round by round, and their mean. */
function perRound(
  measurements: Measurement[],
  top: Key,
  bottom: Key,
  of: (m: Measurement) => number,
) {
  const pairs = roundsOf(measurements, top).map((row) => {
    const other = roundsOf(measurements, bottom).find((o) => o.round === row.round);
    return other === undefined ? Number.NaN : of(row) / of(other);
  });
  return { text: pairs.map((v) => fixed(v, 2)).join(" / "), mean: mean(pairs) };
}
const cpuPerRequest = (m: Measurement) => m.webCpuMs / m.requests;
const throughput = (m: Measurement) => m.reqPerSec;

/** Our route ÷ the bare app's in CPU per request (the target) and in throughput. */
function pairLines(
  summary: Summaries,
  measurements: Measurement[],
  [ours, bare]: [Key, Key],
  what: string,
  target: number,
): string[][] {
  const top = summary.get(ours);
  const bottom = summary.get(bare);
  if (top === undefined || bottom === undefined) return [];
  const cpu = top.webCpu / bottom.webCpu;
  return [
    [
      `${what}: ${ours} ÷ ${bare} web CPU per request (target ≤ ${fixed(target, 2)}; per round)`,
      `${fixed(top.webCpu, 3)} ÷ ${fixed(bottom.webCpu, 3)} ms (${perRound(measurements, ours, bare, cpuPerRequest).text})`,
      fixed(cpu, 2),
      verdict(cpu <= target),
    ],
    [
      `${what}: ${ours}/${bare} throughput`,
      perRound(measurements, ours, bare, throughput).text,
      fixed(perRound(measurements, ours, bare, throughput).mean, 2),
      "",
    ],
  ];
}

/** The floor (t/f, d/p) and the two instances (m/o, storms across both) in the targets table. */
export function floorAndClusterLines(
  summary: Summaries,
  measurements: Measurement[],
  clusterStorms: StormResult[],
): string[][] {
  const lines = [
    ...pairLines(summary, measurements, ["t", "f"], "trivial route vs bare Next", 1.05),
    ...pairLines(summary, measurements, ["d", "p"], "/articles vs bare Next page", 1.15),
    ...pairLines(summary, measurements, ["w", "b"], "2 KB article POST vs a read", 1.2),
  ];
  const m = summary.get("m");
  const o = summary.get("o");
  if (m !== undefined && o !== undefined) {
    const nginx = (key: Key) => {
      const rows = roundsOf(measurements, key);
      const requests = rows.reduce((sum, row) => sum + row.requests, 0);
      return rows.reduce((sum, row) => sum + row.balancerCpuMs, 0) / requests;
    };
    lines.push(
      [
        `two instances ÷ one (m/o throughput, via nginx)`,
        perRound(measurements, "m", "o", throughput).text,
        fixed(perRound(measurements, "m", "o", throughput).mean, 2),
        "",
      ],
      [
        `m ÷ o web CPU per request (both instances ÷ one)`,
        `${fixed(m.webCpu, 3)} ÷ ${fixed(o.webCpu, 3)} ms`,
        fixed(m.webCpu / o.webCpu, 2),
        "",
      ],
      [`nginx CPU ms/req, m / o`, "", `${fixed(nginx("m"), 3)} / ${fixed(nginx("o"), 3)}`, ""],
    );
  }
  const storms = clusterStorms.filter((s) => s.expired);
  if (storms.length > 0) {
    const split = (s: StormResult) => [...s.servedBy.values()].join("+");
    lines.push([
      `refresh storms across two instances: upstream refreshes each (target exactly 1)`,
      `${storms.map((s) => s.refreshes).join(" / ")} (answers per instance ${storms.map(split).join(" / ")})`,
      "",
      verdict(storms.every((s) => s.refreshes === 1 && s.revoked === 0 && s.servedBy.size === 2)),
    ]);
  }
  return lines;
}

/** The two-instance part's own paragraph: its storms, or why it did not run. */
export function clusterParagraph(
  start: ClusterStart | undefined,
  servedBy: { pair: string[]; one: string[] } | undefined,
  storms: StormResult[],
): string[] {
  if (start === undefined) return [];
  if ("skipped" in start) return [`Two instances: skipped, ${start.skipped}.`, ""];
  const check =
    servedBy === undefined
      ? ""
      : ` Four reads through each listener were served by ${servedBy.pair.join(", ")} (round robin) and ${servedBy.one.join(", ")} (one instance).`;
  return [
    `Two instances: two \`next start\` of the same build sharing one \`redis-server\` (loopback), each with NEXTAUTH_URL = the balancer's URL and TRUSTED_PROXY_HOPS=1, behind Debian's nginx (generated configuration, one worker, round robin, upstream keep-alive, started and stopped by the bench); signed in through the balancer.${check} Refresh storms across both (${storms.filter((s) => s.expired).length} × control + expired, as above, through the balancer):`,
    "",
    stormTable(storms),
    "",
  ];
}
