import { readFileSync } from "node:fs";
import { type Origin, originOf } from "./owners";

/** The parts of V8's `.cpuprofile` (Chrome DevTools format) this reads. */
interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    children?: number[];
  }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A time range on the profile's clock (µs, monotonic). */
export interface Window {
  startUs: number;
  endUs: number;
}

export interface SelfTimes {
  /** Sampled µs inside the windows, idle included. */
  sampledUs: number;
  /** Of which the process was busy (not `(idle)`). */
  busyUs: number;
  byOwner: Map<string, number>;
  /** Keyed by `name|where|owner`. */
  byFunction: Map<string, { origin: Origin; us: number }>;
  profileRange: Window;
}

const special = new Map([
  ["(garbage collector)", "V8: garbage collector"],
  ["(program)", "V8: (program), native work outside JS"],
]);

/**
 * Self time per owner and per function over the samples inside `windows` (all samples when
 * none are given). A sample lasts until the next one. Frames without a script (V8 builtins,
 * native bindings) are charged to the nearest caller that has one, under their own name.
 */
export function selfTimes(file: string, windows: Window[] | undefined): SelfTimes {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const parent = new Map<number, number>();
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);

  const origins = new Map<number, Origin | null>();
  const originOfNode = (id: number): Origin | null => {
    const known = origins.get(id);
    if (known !== undefined) return known;
    const node = nodes.get(id);
    let origin: Origin | null = null;
    if (node !== undefined) {
      const name = node.callFrame.functionName;
      if (name === "(idle)" || name === "(root)") origin = null;
      else if (special.has(name)) origin = { owner: special.get(name) ?? name, where: "", name };
      else {
        origin = originOf(node.callFrame);
        if (origin.owner === "") {
          // A builtin or binding: its caller's owner.
          const up = parent.get(id);
          const caller = up === undefined ? null : originOfNode(up);
          origin = { ...origin, owner: caller?.owner ?? "V8/native (no caller)" };
        }
      }
    }
    origins.set(id, origin);
    return origin;
  };

  const result: SelfTimes = {
    sampledUs: 0,
    busyUs: 0,
    byOwner: new Map(),
    byFunction: new Map(),
    profileRange: { startUs: profile.startTime, endUs: profile.endTime },
  };
  let time = profile.startTime;
  const inWindow = (t: number) =>
    windows === undefined || windows.some((w) => t >= w.startUs && t < w.endUs);
  for (let index = 0; index < profile.samples.length; index += 1) {
    time += profile.timeDeltas[index] ?? 0;
    const duration = profile.timeDeltas[index + 1] ?? 0;
    if (duration <= 0 || !inWindow(time)) continue;
    result.sampledUs += duration;
    const origin = originOfNode(profile.samples[index] ?? -1);
    if (origin === null) continue;
    result.busyUs += duration;
    result.byOwner.set(origin.owner, (result.byOwner.get(origin.owner) ?? 0) + duration);
    const key = `${origin.name}|${origin.where}|${origin.owner}`;
    const entry = result.byFunction.get(key) ?? { origin, us: 0 };
    entry.us += duration;
    result.byFunction.set(key, entry);
  }
  return result;
}
