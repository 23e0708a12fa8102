import { describeMachine, packageVersions } from "../../../bench-support/machine.js";
import { sectionTime } from "../../../bench-support/report-file.js";
import { alignedTable, fixed } from "../../../bench-support/stats.js";
import { loginLimit } from "./api-worker.js";
import { apiDir, config, repoRoot } from "./config.js";
import type { Row } from "./measurement.js";

/** What starts docs/benchmarks.md when the file does not exist yet. */
export const reportHeader = `# Benchmarks

Runs of \`npm run bench\` (\`apps/api/bench/run.ts\`): the reference API's token endpoint
(password and refresh_token grants) and a JSON:API collection read, measured side by side in one
run. Each run appends a dated section with the machine, the Node and package versions, and how it
was measured. Compare rows within one section; numbers from different machines are not comparable.

`;

function markdownTable(rows: Row[]): string {
  const header = ["scenario", "req/s (mean)", "p50 ms", "p99 ms", "requests", "non-2xx", "errors"];
  const body = rows.map((row) => {
    const r = row.result;
    if (!r) return [row.scenario, `skipped: ${row.skipped ?? "?"}`, "", "", "", "", ""];
    return [
      row.scenario,
      fixed(r.requests.average, 1),
      String(r.latency.p50),
      String(r.latency.p99),
      String(r.requests.total),
      String(r.non2xx),
      `${r.errors} (timeouts ${r.timeouts})`,
    ];
  });
  return alignedTable(header, body, [false, true, true, true, true, true, true]);
}

function machineLines(): string[] {
  const packages = packageVersions(
    ["fastify", "better-sqlite3", "jose", "@node-rs/argon2", "zod", "autocannon"],
    [apiDir, repoRoot],
  );
  return [
    `- Machine: ${describeMachine()}`,
    `- Node ${process.version}; UV_THREADPOOL_SIZE ${process.env.UV_THREADPOOL_SIZE ?? "4 (default)"}`,
    `- Packages: ${packages}`,
  ];
}

/** The dated section of one run: machine, how it was measured, the table, per-scenario notes. */
export function section(rows: Row[]): string {
  const { connections, duration, warmup } = config;
  const notes = rows
    .filter((row) => row.result)
    .map((row) => {
      const codes = Object.entries(row.result?.statusCodeStats ?? {})
        .map(([code, stats]) => `${code}×${stats.count ?? 0}`)
        .join(", ");
      const note = row.note ? `; ${row.note}` : "";
      return `- ${row.scenario}: \`${row.request}\`${note}; status codes ${codes || "n/a"}.`;
    });
  return [
    `## ${sectionTime()}`,
    "",
    ...machineLines(),
    `- Load: autocannon, ${connections} connections, pipelining 1, ${warmup > 0 ? `${warmup} s warm-up (discarded), then ` : "no warm-up, "}${duration} s per scenario, one scenario after the other against the same server.`,
    "- Setup: API in a worker thread of the bench process (Fastify, logging off), autocannon in the main thread, so both share the machine's cores; fresh SQLite file (WAL) with demo data; loopback.",
    `- Login limiter limits raised to ${loginLimit} for the run: it holds a point per sign-in in flight, so ${connections} parallel sign-ins of one account would otherwise be throttled by the default per-account limit (5).`,
    "",
    markdownTable(rows),
    "",
    ...notes,
    "- Latencies are autocannon's (ms, whole request). req/s is the mean of per-second samples.",
    "",
  ].join("\n");
}
