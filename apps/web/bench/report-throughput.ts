import { fixed, median } from "../../../bench-support/stats.js";
import type { Measurement } from "./load";
import { mean, verdict } from "./report-format";
import { type Summaries, roundsOf } from "./report-summary";
import type { ScenarioSpec } from "./scenarios";
import type { SingleRequestTimes } from "./single-requests";

/** The targets table's throughput and latency lines: b against c, b′, a, one at a time. */
export function throughputLines(
  summary: Summaries,
  measurements: Measurement[],
  singles: SingleRequestTimes,
): string[][] {
  // Per round, so each pair ran minutes apart at most.
  const ratio = (top: ScenarioSpec["key"], bottom: ScenarioSpec["key"]) => {
    const pairs = roundsOf(measurements, top).map((row) => {
      const other = roundsOf(measurements, bottom).find((o) => o.round === row.round);
      return other === undefined ? Number.NaN : row.reqPerSec / other.reqPerSec;
    });
    return { pairs, mean: mean(pairs) };
  };
  const perRound = (pairs: number[]) => pairs.map((v) => fixed(v, 2)).join(" / ");
  const lines: string[][] = [];
  const a = summary.get("a");
  const b = summary.get("b");
  const c = summary.get("c");
  const r = summary.get("r");
  if (b !== undefined && c !== undefined) {
    const bc = ratio("b", "c");
    lines.push(
      [
        `b/c throughput (target ≥ 0.80)`,
        perRound(bc.pairs),
        fixed(bc.mean, 2),
        verdict(bc.mean >= 0.8),
      ],
      [`b − c web CPU ms/req (auth + forwarding)`, "", fixed(b.webCpu - c.webCpu, 3), ""],
    );
  }
  if (r !== undefined && c !== undefined) {
    const rc = ratio("r", "c");
    lines.push([`b′/c throughput (route handler only)`, perRound(rc.pairs), fixed(rc.mean, 2), ""]);
  }
  if (r !== undefined && b !== undefined) {
    const br = ratio("b", "r");
    lines.push(
      [
        `b/b′ throughput (what answering in proxy.ts buys)`,
        perRound(br.pairs),
        fixed(br.mean, 2),
        "",
      ],
      [`b − b′ web CPU ms/req`, "", fixed(b.webCpu - r.webCpu, 3), ""],
    );
  }
  if (b !== undefined && a !== undefined) {
    const ba = ratio("b", "a");
    lines.push(
      [`b/a throughput`, perRound(ba.pairs), fixed(ba.mean, 2), ""],
      [`p50 b − a, ms (target ≤ 1)`, "", fixed(b.p50 - a.p50, 2), verdict(b.p50 - a.p50 <= 1)],
    );
  }
  if (singles.proxied.length > 0) {
    const gap = median(singles.proxied) - median(singles.direct);
    lines.push([
      `p50 b − a, one request at a time (no queueing)`,
      `${fixed(median(singles.proxied), 2)} − ${fixed(median(singles.direct), 2)} ms`,
      fixed(gap, 2),
      verdict(gap <= 1),
    ]);
  }
  return lines;
}
