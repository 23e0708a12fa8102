import { fixed, median } from "../../../bench-support/stats.js";

/** A target's last column. */
export const verdict = (ok: boolean) => (ok ? "met" : "**missed**");

export const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

/** `p50 12.3 ms (min 10.1, max 15.0, n=10)` of a few sequential timings. */
export const sample = (values: number[]) =>
  values.length === 0
    ? "–"
    : `p50 ${fixed(median(values), 1)} ms (min ${fixed(Math.min(...values), 1)}, max ${fixed(Math.max(...values), 1)}, n=${values.length})`;
