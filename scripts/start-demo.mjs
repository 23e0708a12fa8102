#!/usr/bin/env node
/* global process, console, setTimeout, fetch -- a Node.js script */
/**
 * `npm start`: runs the reference API (demo data) and the web app (production build) together,
 * prints both URLs and the demo sign-ins, and stops both when either stops or on Ctrl-C.
 * The builds happen in the npm script before this runs.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const apiDir = path.join(root, "apps", "api");
const webDir = path.join(root, "apps", "web");

// Public demo values, accepted by the web app only with DEMO_MODE=1.
const DEMO_SECRET = "demo-only-next-token-bff-secret-never-use-in-production";
const apiPort = process.env.API_PORT ?? "4000";
const webPort = process.env.PORT ?? "3000";
const apiUrl = `http://127.0.0.1:${apiPort}`;

const notes = [];
const webEnv = { ...process.env, PORT: webPort };
function demoDefault(name, value) {
  if (webEnv[name]) return;
  webEnv[name] = value;
  notes.push(
    `${name} not set: using the demo value (${name === "NEXTAUTH_SECRET" ? "public, demo only" : value})`,
  );
}
webEnv.DEMO_MODE ??= "1";
demoDefault("NEXTAUTH_URL", `http://localhost:${webPort}`);
demoDefault("NEXTAUTH_SECRET", DEMO_SECRET);
demoDefault("UPSTREAM_URL", apiUrl);
demoDefault("UPSTREAM_CLIENT_ID", "next-web");
demoDefault("UPSTREAM_CLIENT_SECRET", "next-web-secret");
// `openid`: the password grant then answers with an id_token (no userinfo call at sign-in).
demoDefault("UPSTREAM_SCOPE", "openid reader editor administrator");
demoDefault("UPSTREAM_NAME", "Reference API");
// The code flow's redirect URI, registered at the API exactly (any PORT / NEXTAUTH_URL).
const redirectUris =
  process.env.API_WEB_REDIRECT_URIS ??
  `${webEnv.NEXTAUTH_URL.replace(/\/+$/, "")}/api/auth/callback/upstream`;

/** The API's entry point as its package declares it (the file name may change). */
function apiEntry() {
  const manifest = JSON.parse(readFileSync(path.join(apiDir, "package.json"), "utf8"));
  const bin =
    typeof manifest.bin === "string" ? manifest.bin : Object.values(manifest.bin ?? {})[0];
  return path.join(apiDir, bin ?? "dist/main.js");
}

const children = [];
let stopping = false;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 2000).unref();
}

function run(name, command, args, options) {
  const child = spawn(command, args, { stdio: "inherit", ...options });
  children.push(child);
  child.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(
        `[start] ${name} stopped (${signal ?? `exit ${code}`}); stopping the other process.`,
      );
    }
    stopAll(code ?? 1);
  });
  return child;
}

process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));

run("API", process.execPath, [apiEntry()], {
  cwd: apiDir,
  env: {
    ...process.env,
    API_PORT: apiPort,
    DEMO_DATA: process.env.DEMO_DATA ?? "1",
    // Behind a proxy (TRUSTED_PROXY_HOPS >= 1) the web app sends each sign-in's browser address
    // and the API counts failures per browser (C1). `npm start` has no proxy in front (demo
    // mode, hops 0): no address is sent, and the API counts the web app's own address.
    TRUSTED_PROXIES: process.env.TRUSTED_PROXIES ?? "loopback",
    API_WEB_REDIRECT_URIS: redirectUris,
  },
});
run(
  "web",
  process.execPath,
  [path.join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-p", webPort],
  {
    cwd: webDir,
    env: webEnv,
  },
);

async function waitFor(url) {
  for (let attempt = 0; attempt < 120 && !stopping; attempt += 1) {
    try {
      await fetch(url, { redirect: "manual" });
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  return false;
}

const ready =
  (await waitFor(`${apiUrl}/jsonapi`)) && (await waitFor(`http://127.0.0.1:${webPort}/`));
if (ready) {
  console.log(
    [
      "",
      "──────────────────────────────────────────────────────────────",
      `  Web app:        ${webEnv.NEXTAUTH_URL}`,
      `  Reference API:  ${apiUrl}`,
      "  Demo sign-ins:  alice / alice-password  (editor)",
      "                  bob   / bob-password    (reader)",
      "                  admin / admin-password  (administrator)",
      ...(notes.length > 0
        ? ["", "  Demo mode (DEMO_MODE=1):", ...notes.map((note) => `    - ${note}`)]
        : []),
      "  Stop with Ctrl-C.",
      "──────────────────────────────────────────────────────────────",
      "",
    ].join("\n"),
  );
}
