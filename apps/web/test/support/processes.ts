import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a server process that stops by itself: `timeout` ends it after `maxSeconds` even if
 * the test run dies without tearing down. Output is kept for failure messages: the last
 * `outputLimit` characters of stdout and stderr together (default 20,000; `Infinity` keeps all).
 */
export function startProcess(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; maxSeconds?: number; outputLimit?: number },
): { child: ChildProcess; output: () => string } {
  const child = spawn("timeout", [String(options.maxSeconds ?? 900), command, ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const limit = options.outputLimit ?? 20_000;
  const keep = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    if (output.length > limit) output = output.slice(-limit);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  return { child, output: () => output };
}

/** Polls `url` until it answers (any status) or `timeoutMs` passes. */
export async function waitForHttp(
  url: string,
  timeoutMs: number,
  describe: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await fetch(url, { redirect: "manual" });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms\n${describe()}`);
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Runs a command to completion; throws with its output when it fails. */
export async function runToCompletion(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<void> {
  const { child, output } = startProcess(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    maxSeconds: 600,
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0)
    throw new Error(`${command} ${args.join(" ")} failed (${String(code)}):\n${output()}`);
}
