import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repositoryRoot = fileURLToPath(new URL("../../../../../", import.meta.url));
const apiDir = join(repositoryRoot, "apps", "api");
const cliPath = join(apiDir, "dist", "cli.js");

export interface ReferenceApi {
  url: string;
  databasePath: string;
  stop(): Promise<void>;
}

/**
 * The API's own build (`npm run build -w apps/api`) when `dist` is missing, e.g. on a fresh
 * clone. Type errors elsewhere in a work in progress do not matter as long as JS is emitted.
 */
function ensureBuilt(): void {
  if (existsSync(cliPath)) return;
  const tsc = join(repositoryRoot, "node_modules", "typescript", "bin", "tsc");
  try {
    execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
      cwd: apiDir,
      stdio: "pipe",
    });
  } catch (error) {
    if (!existsSync(cliPath)) throw error;
  }
}

/**
 * Starts the real reference API (`dist/cli.js serve`) as a child process on a free loopback
 * port with a fresh SQLite file and the demo data. The child also exits by itself when this
 * process goes away (its stdin closes) or after ten minutes.
 */
export async function startReferenceApi(env: Record<string, string> = {}): Promise<ReferenceApi> {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), "bff-upstream-api-"));
  const databasePath = join(dir, "api.sqlite");
  const wrapper = [
    "process.stdin.on('end', () => process.exit(0)).on('error', () => process.exit(0)).resume();",
    "setTimeout(() => process.exit(0), 600000).unref();",
    `await import(${JSON.stringify(new URL(`file://${cliPath}`).href)});`,
  ].join("\n");
  const child: ChildProcess = spawn(
    process.execPath,
    ["--input-type=module", "-e", wrapper, "serve"],
    {
      cwd: apiDir,
      env: {
        NODE_ENV: "test",
        PATH: process.env.PATH ?? "",
        API_HOST: "127.0.0.1",
        API_PORT: "0",
        DATABASE_PATH: databasePath,
        DEMO_DATA: "1",
        LOG_LEVEL: "info",
        ...env,
      },
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`API did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`API exited (${String(code)}):\n${output}`));
    });
  });
  // Keep draining the logs so the child never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();

  return {
    url,
    databasePath,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
