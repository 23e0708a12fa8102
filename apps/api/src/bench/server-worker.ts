/**
 * The API under benchmark, in its own worker thread so the load generator (autocannon, in the
 * main thread) does not share its event loop. Built from the same parts as `startServer`.
 */
import { parentPort, workerData } from "node:worker_threads";
import { loadConfig } from "../config.js";
import { createServer } from "../server.js";

export interface WorkerStarted {
  type: "listening";
  address: string;
}

const port = parentPort;
if (!port) throw new Error("server-worker.js must run in a worker thread");

const { env } = workerData as { env: Record<string, string> };
const server = await createServer(loadConfig(env));
const address = await server.app.listen({ host: "127.0.0.1", port: 0 });
port.postMessage({ type: "listening", address } satisfies WorkerStarted);
port.once("message", () => {
  void server.close().finally(() => port.close());
});
