import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { systemProgram } from "../../../../test-support/prerequisites.js";

/** A throwaway `redis-server` on a free loopback port; it stops by itself after `maxSeconds`. */
export interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
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

export async function startRedisServer(maxSeconds = 300): Promise<RedisServer> {
  const port = await freePort();
  const child = spawn(
    "timeout",
    [
      String(maxSeconds),
      systemProgram("redis"),
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
    ].concat(["--save", "", "--appendonly", "no"]),
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`redis-server did not start: ${output}`)),
      10_000,
    );
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
