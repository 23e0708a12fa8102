import { fixed, median } from "../../../bench-support/stats.js";
import { sample, verdict } from "./report-format";
import type { SignInTimes } from "./sign-in";

/** The targets table's sign-in lines: the app's callback against the token endpoint. */
export function signInLines(signIns: SignInTimes): string[][] {
  const lines: string[][] = [];
  const callback = median(signIns.appCallbacks);
  if (signIns.direct.length > 0) {
    const signInRatio = callback / median(signIns.direct);
    lines.push([
      `sign-in: app callback p50 ÷ token endpoint p50 (target ≤ 1.5)`,
      `${fixed(callback, 1)} ms ÷ ${fixed(median(signIns.direct), 1)} ms`,
      fixed(signInRatio, 2),
      verdict(signInRatio <= 1.5),
    ]);
    const upstreamPart = median(signIns.direct) + median(signIns.userinfo);
    lines.push([
      `sign-in: app callback p50 ÷ (token endpoint + userinfo) p50`,
      `${fixed(callback, 1)} ms ÷ ${fixed(upstreamPart, 1)} ms`,
      fixed(callback / upstreamPart, 2),
      "",
    ]);
  }
  const baseline = signIns.baseline;
  if (baseline !== undefined && baseline.direct.length > 0) {
    const baselineRatio = median(baseline.app) / median(baseline.direct);
    lines.push([
      `same, paired baseline server with UPSTREAM_SCOPE \`${baseline.scope}\``,
      `${fixed(median(baseline.app), 1)} ms ÷ ${fixed(median(baseline.direct), 1)} ms`,
      fixed(baselineRatio, 2),
      verdict(baselineRatio <= 1.5),
    ]);
  }
  return lines;
}

/** The paragraph under the targets: every sign-in timing, and the paired baseline's. */
export function signInParagraph(signIns: SignInTimes): string {
  const baseline = signIns.baseline;
  const pairedDifference = () => {
    if (baseline === undefined) return Number.NaN;
    return median(signIns.appCallbacks.map((ms, index) => ms - (baseline.app[index] ?? ms)));
  };
  return `Sign-in (sequential, interleaved): token endpoint directly ${sample(signIns.direct)}; userinfo directly (the app's sign-in calls it only without a usable id_token): ${sample(signIns.userinfo)}; through the app, credentials callback ${sample(signIns.appCallbacks)}; CSRF fetch + callback ${sample(signIns.appWhole)}.${
    baseline === undefined
      ? ""
      : ` Paired baseline (UPSTREAM_SCOPE \`${baseline.scope}\`, same loop, alternating order): token endpoint directly ${sample(baseline.direct)}; app callback ${sample(baseline.app)}; app callback minus the baseline's, median of the ${baseline.app.length} pairs: ${fixed(pairedDifference(), 1)} ms.`
  }`;
}
