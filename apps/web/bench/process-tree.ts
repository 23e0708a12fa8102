import { readFileSync, readdirSync } from "node:fs";

// CPU time and peak memory of a server and the processes it started (`timeout` → node → Next's
// workers), read from `/proc`.

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime, clock ticks. */
  ticks: number;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name may contain spaces and parentheses: fields start after the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const field = (index: number) => Number(fields[index - 3]);
  return { pid, ppid: field(4), ticks: field(14) + field(15) };
}

/** The pids of `root` and all its descendants. */
export function processTree(root: number): number[] {
  const stats: ProcStat[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat !== undefined) stats.push(stat);
  }
  const tree = new Set([root]);
  let grown = true;
  while (grown) {
    grown = false;
    for (const stat of stats) {
      if (!tree.has(stat.pid) && tree.has(stat.ppid)) {
        tree.add(stat.pid);
        grown = true;
      }
    }
  }
  return [...tree];
}

/** Clock ticks per second of `/proc/<pid>/stat` (USER_HZ); 100 on Linux. */
const ticksPerSecond = 100;

/** CPU time (ms, user + system) used so far by `root` and its descendants. */
export function treeCpuMs(root: number): number {
  let ticks = 0;
  for (const pid of processTree(root)) ticks += readStat(pid)?.ticks ?? 0;
  return (ticks * 1000) / ticksPerSecond;
}

/** The largest peak resident set (VmHWM, bytes) among `root` and its descendants. */
export function treePeakRss(root: number): number {
  let peak = 0;
  for (const pid of processTree(root)) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
      if (match?.[1] !== undefined) peak = Math.max(peak, Number(match[1]) * 1024);
    } catch {
      // the process ended
    }
  }
  return peak;
}
