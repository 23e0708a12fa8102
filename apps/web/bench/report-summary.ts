import { alignedTable, fixed, grouped, percentile } from "../../../bench-support/stats.js";
import type { Measurement } from "./load";
import { mean } from "./report-format";
import type { ScenarioSpec } from "./scenarios";

/** One scenario over all its rounds. */
export interface ScenarioSummary {
  spec: ScenarioSpec;
  rows: Measurement[];
  reqPerSec: number;
  p50: number;
  p99: number;
  /** ms per request; NaN when the web server is not involved. */
  webCpu: number;
  apiCpu: number;
  requests: number;
  failures: number;
}

export type Summaries = Map<ScenarioSpec["key"], ScenarioSummary>;

export const roundsOf = (measurements: Measurement[], key: ScenarioSpec["key"]) =>
  measurements.filter((m) => m.key === key);

export function summarize(specs: ScenarioSpec[], measurements: Measurement[]): Summaries {
  return new Map(
    specs.map((spec) => {
      const rows = roundsOf(measurements, spec.key);
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
}

/** The main table: one line per scenario, req/s per round, latency, CPU per request. */
export function scenarioTable(summary: Summaries, measurements: Measurement[]): string {
  const perRound = (key: ScenarioSpec["key"]) =>
    roundsOf(measurements, key)
      .map((row) => grouped(row.reqPerSec))
      .join(" / ");
  return alignedTable(
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
}
