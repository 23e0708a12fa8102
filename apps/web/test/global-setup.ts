import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { webServerEnv } from "./support/context";
import {
  freePort,
  runToCompletion,
  startProcess,
  stopProcess,
  waitForHttp,
} from "./support/processes";

const webDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = path.join(webDir, "..", "..");
const apiDir = path.join(repoRoot, "apps", "api");
const nextBin = path.join(repoRoot, "node_modules", "next", "dist", "bin", "next");
const tscBin = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");
/** The tests' own build folder, so a developer's `.next` (from `npm start`) is left alone. */
// WEB_TEST_DIST_DIR: another build folder, for two test runs on one checkout at a time.
const testDistDir = process.env.WEB_TEST_DIST_DIR ?? ".next-test";

function apiEntry(): string {
  const manifest = JSON.parse(readFileSync(path.join(apiDir, "package.json"), "utf8")) as {
    bin?: string | Record<string, string>;
  };
  const bin =
    typeof manifest.bin === "string" ? manifest.bin : Object.values(manifest.bin ?? {})[0];
  return path.join(apiDir, bin ?? "dist/main.js");
}

/** The library, the API and a production build of the web app, each once per run. */
async function buildAll(): Promise<void> {
  await runToCompletion(
    process.execPath,
    [tscBin, "-p", "packages/next-token-bff/tsconfig.build.json"],
    {
      cwd: repoRoot,
    },
  );
  await runToCompletion(process.execPath, [tscBin, "-p", "apps/api/tsconfig.build.json"], {
    cwd: repoRoot,
  });
  await runToCompletion(process.execPath, [nextBin, "build"], {
    cwd: webDir,
    env: { ...process.env, NEXT_DIST_DIR: testDistDir, NEXT_TELEMETRY_DISABLED: "1" },
  });
}

/**
 * Once per test run: build the library, the API and the web app (production `next build`), then
 * start the real reference API on a temporary SQLite file and `next start`, both on free
 * loopback ports.
 */
export default async function setup(project: TestProject) {
  const started = Date.now();
  // WEB_TEST_SKIP_BUILD=1 reuses the last builds (quick local re-runs).
  if (process.env.WEB_TEST_SKIP_BUILD !== "1") await buildAll();
  console.log(`[web tests] builds took ${Math.round((Date.now() - started) / 1000)} s`);

  const dataDir = mkdtempSync(path.join(tmpdir(), "web-tests-"));
  const apiDatabasePath = path.join(dataDir, "api.sqlite");
  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const api = startProcess(process.execPath, [apiEntry()], {
    cwd: apiDir,
    env: {
      ...process.env,
      API_HOST: "127.0.0.1",
      API_PORT: String(apiPort),
      DATABASE_PATH: apiDatabasePath,
      DEMO_DATA: "1",
      // The web app sends each sign-in's browser address (C1); the API trusts it from loopback.
      TRUSTED_PROXIES: "loopback",
      // A low limit lets the lock-out test finish in a few attempts (unknown names count too).
      LOGIN_FAILURES_PER_USER: "3",
      // Strict rotation: a refresh token spent twice revokes its family (any double spend shows).
      REFRESH_REUSE_INTERVAL: "0",
      LOG_LEVEL: "warn",
    },
  });
  await waitForHttp(`${apiUrl}/jsonapi`, 30_000, api.output);

  const webPort = await freePort();
  const webUrl = `http://127.0.0.1:${webPort}`;
  const sessionSecret = randomBytes(32).toString("base64url");
  const web = startProcess(
    process.execPath,
    [nextBin, "start", "-p", String(webPort), "-H", "127.0.0.1"],
    {
      cwd: webDir,
      env: {
        ...webServerEnv({ url: webUrl, secret: sessionSecret, apiUrl, distDir: testDistDir }),
        // The browser's address goes upstream (Next puts the socket's in X-Forwarded-For), so
        // the API counts failures per browser and can lock one out (C1); with 0 it would count
        // none, its own address being every browser's.
        TRUSTED_PROXY_HOPS: "1",
      },
    },
  );
  await waitForHttp(`${webUrl}/`, 30_000, web.output);

  project.provide("webUrl", webUrl);
  project.provide("apiUrl", apiUrl);
  project.provide("sessionSecret", sessionSecret);
  // For the API's CLI (e.g. `user:revoke-tokens`), which works on the same SQLite file.
  project.provide("apiDatabasePath", apiDatabasePath);

  return async () => {
    await stopProcess(web.child);
    await stopProcess(api.child);
    rmSync(dataDir, { recursive: true, force: true });
  };
}
