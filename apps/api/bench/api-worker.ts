import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { WorkerStarted } from "./server-worker.js";

/** The login limits during the run (the report says so). */
export const loginLimit = "1000000";

export interface ApiWorker {
  /** `http://127.0.0.1:<port>` */
  base: string;
  stop: () => Promise<void>;
}

// Node 20's workers don't inherit tsx's module hooks: the worker loads its TypeScript entry
// through tsx's API.
const workerEntry = fileURLToPath(new URL("./server-worker.ts", import.meta.url));
const workerSource = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((tsx) =>
  tsx.tsImport(${JSON.stringify(workerEntry)}, ${JSON.stringify(import.meta.url)}))`;

/** Starts the API on a free loopback port in a worker thread, on `databasePath` with demo data. */
export async function startApiWorker(databasePath: string): Promise<ApiWorker> {
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: {
      env: {
        DATABASE_PATH: databasePath,
        API_HOST: "127.0.0.1",
        API_PORT: "0",
        DEMO_DATA: "1",
        LOG_LEVEL: "silent",
        // Long enough that the bearer token of the JSON:API scenario outlives any BENCH_DURATION.
        ACCESS_TOKEN_TTL: "86400",
        // The login limiter holds a point per sign-in in flight (refunded on success), so 10
        // parallel sign-ins of one account from one address would hit the default limit of 5.
        LOGIN_FAILURES_PER_USER: loginLimit,
        LOGIN_FAILURES_PER_IP: loginLimit,
      },
    },
  });
  const started = await new Promise<WorkerStarted>((resolve, reject) => {
    worker.once("message", (message: WorkerStarted) => resolve(message));
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`API worker exited early (${code})`)));
  });
  return { base: started.address.replace(/\/$/, ""), stop: () => stopWorker(worker) };
}

/** Asks the server to close; ends the thread if it has not gone within 5 s. */
async function stopWorker(worker: Worker): Promise<void> {
  const exited = once(worker, "exit");
  worker.postMessage("close");
  const timer = setTimeout(() => void worker.terminate(), 5_000);
  await exited;
  clearTimeout(timer);
}
