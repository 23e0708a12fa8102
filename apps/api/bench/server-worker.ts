/**
 * The API under benchmark, in its own worker thread so the load generator (autocannon, in the
 * main thread) does not share its event loop. Built from the same parts as `startServer`.
 */
import { parentPort, workerData } from "node:worker_threads";
import type * as ConfigModule from "../src/config.js";
import type * as ServerModule from "../src/server.js";

export interface WorkerStarted {
  type: "listening";
  address: string;
}

const port = parentPort;
if (!port) throw new Error("server-worker.ts must run in a worker thread");

// The server under test is the API's build (`npm run bench` builds it first), the code that
// `node dist/cli.js` runs, not a transpiled copy of src/; and, as under plain node, without
// source-mapped stack traces (tsx turns them on).
process.setSourceMapsEnabled(false);
const dist = (file: string) => new URL(`../dist/${file}`, import.meta.url).href;
const { loadConfig } = (await import(dist("config.js"))) as typeof ConfigModule;
const { createServer } = (await import(dist("server.js"))) as typeof ServerModule;

const { env } = workerData as { env: Record<string, string> };
const server = await createServer(loadConfig(env));
const address = await server.app.listen({ host: "127.0.0.1", port: 0 });
port.postMessage({ type: "listening", address } satisfies WorkerStarted);
port.once("message", () => {
  void server.close().finally(() => port.close());
});
