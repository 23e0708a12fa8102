import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const apiDir = fileURLToPath(new URL("../..", import.meta.url));
const buildRoot = join(apiDir, "dist", ".cli-test");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

function sourceKey(): string {
  const hash = createHash("sha256");
  for (const file of sourceFiles(join(apiDir, "src")).sort()) {
    hash.update(relative(apiDir, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Compiles `src` with the production tsconfig into `dist/.cli-test/<hash of src>/` (inside the
 * package, so `node_modules` resolves) and returns the path of the built `cli.js`. Test files
 * running in parallel share one build through a lock directory; an unchanged `src` is reused.
 * Type errors in files that are work in progress elsewhere do not stop the build as long as
 * JavaScript is emitted.
 */
export async function buildCli(): Promise<string> {
  const outDir = join(buildRoot, sourceKey());
  const cliPath = join(outDir, "cli.js");
  const complete = join(outDir, ".complete");
  const lock = `${outDir}.lock`;
  mkdirSync(buildRoot, { recursive: true });

  const deadline = Date.now() + 180_000;
  while (!existsSync(complete)) {
    try {
      mkdirSync(lock);
    } catch {
      // Someone else is building; a lock older than 5 minutes is left over from a killed run.
      const age = existsSync(lock) ? Date.now() - statSync(lock).mtimeMs : 0;
      if (age > 300_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`Timed out waiting for the build lock ${lock}`);
      await sleep(250);
      continue;
    }
    try {
      if (existsSync(complete)) break;
      for (const old of readdirSync(buildRoot)) {
        if (!old.endsWith(".lock") && join(buildRoot, old) !== outDir) {
          rmSync(join(buildRoot, old), { recursive: true, force: true });
        }
      }
      const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
      const result = await promisify(execFile)(
        process.execPath,
        [tsc, "-p", "tsconfig.build.json", "--outDir", outDir, "--sourceMap", "false"],
        { cwd: apiDir },
      ).catch((error: unknown) => ({
        stdout:
          error instanceof Error && "stdout" in error && typeof error.stdout === "string"
            ? error.stdout
            : String(error),
      }));
      if (!existsSync(cliPath)) throw new Error(`Build emitted no cli.js:\n${result.stdout}`);
      writeFileSync(complete, result.stdout);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return cliPath;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Only what the CLI needs: nothing like NEW_PASSWORD leaks in from the test runner's env. */
export function cliEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", LOG_LEVEL: "silent", ...env };
}

/** Runs the built CLI as a child process and collects its exit code and output. */
export function runCliProcess(
  cliPath: string,
  args: string[],
  env: Record<string, string>,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      env: cliEnv(env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Resolves with the first match of `pattern` in the child's stdout, or rejects on exit/timeout. */
export function waitForOutput(
  child: ChildProcess,
  pattern: RegExp,
  timeoutMs = 20_000,
): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const onData = (chunk: Buffer | string) => {
      seen += chunk.toString();
      const match = seen.match(pattern);
      if (match) finish(() => resolve(match));
    };
    const onExit = (code: number | null) => {
      finish(() => {
        reject(new Error(`process exited (${String(code)}) before ${String(pattern)}:\n${seen}`));
      });
    };
    const timer = setTimeout(
      () => finish(() => reject(new Error(`timed out waiting for ${String(pattern)}:\n${seen}`))),
      timeoutMs,
    );
    function finish(settle: () => void) {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
      settle();
    }
    child.stdout?.on("data", onData);
    child.on("exit", onExit);
  });
}
