import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { freePort, startProcess } from "./support/processes";

const webDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const nextBin = path.join(webDir, "..", "..", "node_modules", "next", "dist", "bin", "next");

it("refuses to start with a bad configuration, naming every variable to fix", async () => {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: "production",
    NEXT_DIST_DIR: ".next-test",
    NEXT_TELEMETRY_DISABLED: "1",
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    NEXTAUTH_SECRET: "demo-only-next-token-bff-secret-never-use-in-production",
    UPSTREAM_URL: "not a url",
    UPSTREAM_KIND: "oidc",
  };
  const server = startProcess(
    process.execPath,
    [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: webDir,
      env,
      maxSeconds: 60,
    },
  );
  const code = await new Promise<number | null>((resolve) => server.child.once("exit", resolve));
  const output = server.output();
  expect(code).toBe(78);
  expect(output).toContain("Invalid sign-in configuration");
  for (const name of ["UPSTREAM_URL", "UPSTREAM_CLIENT_ID", "UPSTREAM_CLIENT_SECRET"]) {
    expect(output).toContain(name);
  }
  expect(output).toContain("NEXTAUTH_SECRET is the public demo value");
  // Only drupal has a default proxy path allow-list (/jsonapi/).
  expect(output).toContain("UPSTREAM_PATHS is required when UPSTREAM_KIND=oidc");
  // Production outside demo mode: how many proxies stand in front must be written down (C1).
  expect(output).toContain("TRUSTED_PROXY_HOPS must be set in production");
});
