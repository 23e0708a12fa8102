import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    webUrl: string;
    apiUrl: string;
    sessionSecret: string;
    apiDatabasePath: string;
  }
}

/** URLs and the session secret of the servers the global setup started. */
export function testServers() {
  return {
    webUrl: inject("webUrl"),
    apiUrl: inject("apiUrl"),
    sessionSecret: inject("sessionSecret"),
    apiDatabasePath: inject("apiDatabasePath"),
  };
}

export const upstreamClient = { id: "next-web", secret: "next-web-secret" };
export const demoUsers = {
  alice: { username: "alice", password: "alice-password" },
  bob: { username: "bob", password: "bob-password" },
  admin: { username: "admin", password: "admin-password" },
};

/**
 * The environment of a production `next start` of this app against the reference API, as the
 * tests, the soak and the bench run it: `url` is the app's own URL, `distDir` its build.
 */
export function webServerEnv(options: {
  url: string;
  secret: string;
  apiUrl: string;
  distDir: string;
}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    NEXT_DIST_DIR: options.distDir,
    NEXT_TELEMETRY_DISABLED: "1",
    NEXTAUTH_URL: options.url,
    NEXTAUTH_SECRET: options.secret,
    DEMO_MODE: "0",
    UPSTREAM_URL: options.apiUrl,
    UPSTREAM_CLIENT_ID: upstreamClient.id,
    UPSTREAM_CLIENT_SECRET: upstreamClient.secret,
    UPSTREAM_SCOPE: "openid reader editor administrator",
    // Required in production (C1): the tests talk to `next start` directly, no proxy in front.
    // Tests that play a proxy set 1.
    TRUSTED_PROXY_HOPS: "0",
    // Each server its own session file (sign-outs, generations): servers of one run never
    // share sessions unless a test says so.
    SESSION_STORE_PATH: path.join(mkdtempSync(path.join(tmpdir(), "web-sessions-")), "s.sqlite"),
  };
}
