import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { numberFromEnv } from "../../../bench-support/env.js";

/**
 * The knobs of `npm run bench` (API part), from the environment: BENCH_DURATION (seconds per
 * scenario, default 10), BENCH_WARMUP (seconds, default 2), BENCH_CONNECTIONS (default 10),
 * BENCH_OUTPUT (file to append to; `-` = don't write).
 */
export const apiDir = fileURLToPath(new URL("../", import.meta.url));
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

export const config = {
  duration: numberFromEnv("BENCH_DURATION", 10, 1),
  warmup: numberFromEnv("BENCH_WARMUP", 2, 0),
  connections: Math.floor(numberFromEnv("BENCH_CONNECTIONS", 10, 1)),
  output: process.env.BENCH_OUTPUT ?? join(repoRoot, "docs", "benchmarks.md"),
};
