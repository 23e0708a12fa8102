import { alignedTable, fixed, median, percentile } from "../../../bench-support/stats.js";
import { config } from "./config";
import type { StormResult } from "./refresh-storm";
import { sample, verdict } from "./report-format";
import type { SingleRequestTimes } from "./single-requests";

const p99Of = (s: StormResult) =>
  percentile(
    [...s.latencies].sort((x, y) => x - y),
    0.99,
  );
const oneRefreshOneRequest = (singles: SingleRequestTimes) =>
  median(singles.refresh) + median(singles.proxied);

/** The targets table's storm lines: one upstream refresh each, and what the refresh adds. */
export function stormLines(all: StormResult[], singles: SingleRequestTimes): string[][] {
  const storms = all.filter((s) => s.expired);
  const controls = all.filter((s) => !s.expired);
  if (storms.length === 0) return [];
  const single = oneRefreshOneRequest(singles);
  const worstP99 = Math.max(...storms.map(p99Of));
  // Each storm runs right after its control: pair them, take the median difference.
  const added = median(storms.map((s, index) => p99Of(s) - p99Of(controls[index] ?? s)));
  const exactlyOne = storms.every((s) => s.refreshes === 1 && s.revoked === 0);
  return [
    [
      `refresh storms: upstream refreshes each (target exactly 1)`,
      `${storms.map((s) => s.refreshes).join(" / ")} (controls ${controls.map((s) => s.refreshes).join(" / ")})`,
      "",
      verdict(exactlyOne),
    ],
    [
      `storm p99 ÷ (one refresh + one request) (target ≤ 2)`,
      `${fixed(worstP99, 1)} ms ÷ ${fixed(single, 1)} ms`,
      fixed(worstP99 / single, 2),
      verdict(worstP99 <= 2 * single),
    ],
    [
      `storm p99 − its control's p99, median over storms (what the refresh adds), ÷ (one refresh + one request)`,
      `${fixed(added, 1)} ms ÷ ${fixed(single, 1)} ms`,
      fixed(added / single, 2),
      verdict(added <= 2 * single),
    ],
  ];
}

/** How the storms were made, with the one-at-a-time timings they compare with. */
export function stormParagraph(all: StormResult[], singles: SingleRequestTimes): string {
  const { stormSize } = config;
  const storms = all.filter((s) => s.expired);
  return `Refresh storms: ${storms.length} × ${stormSize} concurrent \`GET /api/upstream…\` with one session whose access token the app considers expired (cookie re-encoded with \`accessTokenExpiresAt\` in the past; the refresh is the real refresh_token grant, counted in the API's \`oauth_tokens\` table), each after a control storm of the same requests with a fresh session (no refresh due): ${stormSize} requests on new connections queue on one event loop, so the control shows the part of the latency that is not the refresh. For comparison, one refresh_token grant directly: ${sample(singles.refresh)}; one proxied request (one at a time, interleaved with one direct request: ${sample(singles.direct)}): ${sample(singles.proxied)}; one expired request through the app (refresh + request): ${sample(singles.expired)}.`;
}

/** One line per storm, control and expired alternating. */
export function stormTable(all: StormResult[]): string {
  if (all.length === 0) return "(no storms in this run)";
  const rows = all.map((s, index) => {
    const sorted = [...s.latencies].sort((x, y) => x - y);
    const statuses = [...s.statuses].map(([code, count]) => `${code}×${count}`).join(", ");
    return [
      `${Math.floor(index / 2) + 1} ${s.expired ? "expired" : "control (no refresh due)"}`,
      statuses,
      String(s.refreshes),
      String(s.revoked),
      String(s.newTokens),
      fixed(percentile(sorted, 0.5), 1),
      fixed(percentile(sorted, 0.99), 1),
      fixed(s.wallMs, 1),
    ];
  });
  const header = [
    "storm",
    "statuses",
    "upstream refreshes",
    "family revocations",
    "new cookies seen",
    "p50 ms",
    "p99 ms",
    "wall ms",
  ];
  return alignedTable(header, rows, [false, false, true, true, true, true, true, true]);
}
