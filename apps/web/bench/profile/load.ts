import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { type SelfTimes, type Window, selfTimes } from "./self-time";

/** One scenario round as the bench's `windows.json` records it (`load.ts` `writeWindows`). */
export interface ScenarioWindow extends Window {
  key: string;
  round: number;
  requests: number;
}

export interface LoadedProfile {
  file: string;
  /** The windows of the scenario asked for; undefined = the whole profile. */
  windows: ScenarioWindow[] | undefined;
  times: SelfTimes;
  /** Requests in the windows (1 without windows). */
  requests: number;
}

/** A folder stands for the newest `.cpuprofile` in it. */
function profileFile(target: string): string {
  if (!statSync(target).isDirectory()) return target;
  const newest = readdirSync(target)
    .filter((name) => name.endsWith(".cpuprofile"))
    .map((name) => path.join(target, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (newest === undefined) throw new Error(`no .cpuprofile in ${target}`);
  return newest;
}

/** The scenario's windows from `windowsFile`, else from `windows.json` beside or above. */
function scenarioWindows(dir: string, scenario: string, windowsFile: string | undefined) {
  const file =
    windowsFile ??
    [path.join(dir, "windows.json"), path.join(dir, "..", "windows.json")].find((f) =>
      existsSync(f),
    );
  if (file === undefined) throw new Error("a scenario needs the bench's windows.json (--windows)");
  const all = JSON.parse(readFileSync(file, "utf8")) as ScenarioWindow[];
  const chosen = all.filter((w) => w.key === scenario);
  if (chosen.length === 0) throw new Error(`no window of scenario ${scenario} in ${file}`);
  return chosen;
}

export function loadProfile(
  target: string,
  scenario: string | undefined,
  windowsFile: string | undefined,
): LoadedProfile {
  const file = profileFile(target);
  const dir = statSync(target).isDirectory() ? target : path.dirname(target);
  const windows = scenario === undefined ? undefined : scenarioWindows(dir, scenario, windowsFile);
  const times = selfTimes(file, windows);
  const requests = windows?.reduce((sum, w) => sum + w.requests, 0) ?? 1;
  return { file, windows, times, requests };
}
