/**
 * `npm run bench` (API part): measures the reference API's hot paths side by side in one run and
 * appends the results to docs/benchmarks.md at the repository root.
 *
 * The API runs in a worker thread of this process (same parts as `startServer`, fresh SQLite file
 * with demo data in a temp dir, 127.0.0.1 on a free port); autocannon drives it from the main
 * thread. Knobs: config.ts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { appendSection } from "../../../bench-support/report-file.js";
import { type ApiWorker, startApiWorker } from "./api-worker.js";
import { config } from "./config.js";
import { reportHeader, section } from "./report.js";
import { runScenarios } from "./scenarios.js";

async function main(): Promise<number> {
  const dir = mkdtempSync(join(os.tmpdir(), "reference-api-bench-"));
  let server: ApiWorker | undefined;
  const cleanUp = async () => {
    const running = server;
    server = undefined;
    await running?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("SIGINT", () => {
    void cleanUp().finally(() => process.exit(130));
  });

  try {
    server = await startApiWorker(join(dir, "bench.sqlite"));
    const { duration, warmup, connections } = config;
    console.log(
      `Reference API under test on ${server.base}; ${duration} s per scenario after ${warmup} s warm-up, ${connections} connections.`,
    );
    const rows = await runScenarios(server.base);
    const report = section(rows);
    console.log(`\n${report}`);
    appendSection(config.output, report, reportHeader);
    return rows.some((row) => row.skipped) ? 1 : 0;
  } finally {
    await cleanUp();
  }
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(error);
  return 1;
});
