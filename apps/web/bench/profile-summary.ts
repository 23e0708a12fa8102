/**
 * Self time of a `node --cpu-prof` profile of `next start`, by owner (package, Node subsystem,
 * our code) and by function, as Markdown tables. With the bench's `windows.json` and a scenario
 * key, only the samples taken while that scenario ran count, and times are per request.
 *
 *   BENCH_CPU_PROF=/tmp/prof BENCH_SCENARIOS=t,f npm run bench --workspace apps/web
 *   npx tsx apps/web/bench/profile-summary.ts /tmp/prof --scenario t [--top 12] [--owners 12]
 *   npx tsx apps/web/bench/profile-summary.ts /tmp/prof/floor --windows /tmp/prof/windows.json --scenario f
 *   npx tsx apps/web/bench/profile-summary.ts /tmp/prof --scenario t --compare /tmp/prof/floor:f
 *
 * `--compare <profile or folder>:<scenario>` puts a second profile's owners beside the first's
 * (per request, both with windows), e.g. the app's trivial route against the bare app's.
 * A folder stands for the newest `.cpuprofile` in it (its `windows.json` too, if there is one).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { alignedTable, fixed, grouped } from "../../../bench-support/stats.js";
import { type LoadedProfile, loadProfile } from "./profile/load";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    windows: { type: "string" },
    scenario: { type: "string" },
    top: { type: "string", default: "12" },
    owners: { type: "string", default: "12" },
    compare: { type: "string" },
  },
});

function render({ file, times, windows }: LoadedProfile): string {
  const requests = windows?.reduce((sum, w) => sum + w.requests, 0);
  // Per request when the windows say how many; else ms over the whole profile.
  const per = (us: number) => (requests === undefined ? us / 1000 : us / 1000 / requests);
  const unit = requests === undefined ? "self ms" : "self ms/req";
  const share = (us: number) => `${fixed((100 * us) / times.busyUs, 1)} %`;
  const covered = windows?.every(
    (w) => w.startUs >= times.profileRange.startUs && w.endUs <= times.profileRange.endUs,
  );
  const head =
    windows === undefined
      ? `Profile \`${path.basename(file)}\`, all samples: busy ${fixed(times.busyUs / 1e6, 2)} s of ${fixed(times.sampledUs / 1e6, 2)} s sampled.`
      : `Profile \`${path.basename(file)}\`, scenario ${values.scenario ?? ""} (${windows.length} window(s), ${grouped(requests ?? 0)} requests${covered === true ? "" : "; **windows outside the profile**"}): busy ${fixed(times.busyUs / 1e6, 2)} s of ${fixed(times.sampledUs / 1e6, 2)} s sampled, ${fixed(per(times.busyUs), 3)} ms busy per request (main thread, wall-clock samples).`;
  const owners = [...times.byOwner].sort((a, b) => b[1] - a[1]).slice(0, Number(values.owners));
  const functions = [...times.byFunction.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, Number(values.top));
  return [
    head,
    "",
    alignedTable(
      ["owner", unit, "share of busy"],
      owners.map(([owner, us]) => [owner, fixed(per(us), 3), share(us)]),
      [false, true, true],
    ),
    "",
    alignedTable(
      ["function", "where", "owner", unit, "share of busy"],
      functions.map(({ origin, us }) => [
        `\`${origin.name}\``,
        origin.where === "" ? "–" : `\`${origin.where}\``,
        origin.owner,
        fixed(per(us), 3),
        share(us),
      ]),
      [false, false, false, true, true],
    ),
  ].join("\n");
}

type Pick = (loaded: LoadedProfile) => Map<string, number>;
const byOwner: Pick = (loaded) => loaded.times.byOwner;
const byFunction: Pick = (loaded) =>
  new Map(
    [...loaded.times.byFunction.values()].map(({ origin, us }) => [
      `\`${origin.name}\` ${origin.where === "" ? "" : `\`${origin.where}\` `}(${origin.owner})`,
      us,
    ]),
  );

/** Two profiles side by side, ms per request, the largest differences first. */
function compare(
  [first, second]: [LoadedProfile, LoadedProfile],
  labels: [string, string],
  [what, pick, limit]: [string, Pick, number],
): string {
  const [a, b] = [pick(first), pick(second)];
  const per = (loaded: LoadedProfile, us: number | undefined) => (us ?? 0) / 1000 / loaded.requests;
  const rows = [...new Set([...a.keys(), ...b.keys()])]
    .map((key) => [key, per(first, a.get(key)), per(second, b.get(key))] as const)
    .sort((x, y) => Math.abs(y[1] - y[2]) - Math.abs(x[1] - x[2]))
    .slice(0, limit);
  const busy = [per(first, first.times.busyUs), per(second, second.times.busyUs)] as const;
  return alignedTable(
    [`${what} (self time, ms/req)`, labels[0], labels[1], "difference"],
    [
      ...rows.map(([key, x, y]) => [key, fixed(x, 3), fixed(y, 3), fixed(x - y, 3)]),
      ["**busy, all**", fixed(busy[0], 3), fixed(busy[1], 3), fixed(busy[0] - busy[1], 3)],
    ],
    [false, true, true, true],
  );
}

const target = positionals[0];
if (target === undefined) {
  console.error("usage: profile-summary.ts <profile or folder> [--windows f] [--scenario key]");
  process.exitCode = 2;
} else {
  const first = loadProfile(target, values.scenario, values.windows);
  console.log(render(first));
  if (values.compare !== undefined) {
    const [other = "", scenario] = values.compare.split(/:(?=[^:/]+$)/);
    const second = loadProfile(other, scenario, values.windows);
    const pair: [LoadedProfile, LoadedProfile] = [first, second];
    const labels: [string, string] = [values.scenario ?? "first", scenario ?? "second"];
    console.log(`\n${compare(pair, labels, ["owner", byOwner, Number(values.owners)])}`);
    console.log(`\n${compare(pair, labels, ["function", byFunction, Number(values.top)])}`);
  }
}
