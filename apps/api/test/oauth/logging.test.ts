import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { bootstrap } from "../../src/db/bootstrap.js";
import { openDatabase, type Database } from "../../src/db/database.js";
import { createServices, type Services } from "../../src/services.js";
import { TEST_ISSUER, type TestApi } from "../helpers/test-api.js";
import { login, pairOf, refresh, revoke, tokenRequest, webClient } from "./oauth-client.js";

// Failures are logged with the (sanitised) username and the outcome; secrets never are.
const lines: string[] = [];
let dir: string;
let db: Database;
let app: FastifyInstance;
let api: TestApi;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "oauth-logging-"));
  const databasePath = join(dir, "api.sqlite");
  const config = loadConfig({
    DATABASE_PATH: databasePath,
    API_PORT: "0",
    API_ISSUER: TEST_ISSUER,
    LOG_LEVEL: "info",
    // A replay is a reuse at once, without the reuse interval.
    REFRESH_REUSE_INTERVAL: "0",
  });
  db = openDatabase(databasePath);
  const services: Services = createServices(config, db);
  await bootstrap(services);
  app = await buildApp({
    services,
    logger: { level: "info", stream: { write: (line: string) => void lines.push(line) } },
  });
  const address = await app.listen({ host: "127.0.0.1", port: 0 });
  api = {
    app,
    services,
    config,
    databasePath,
    url: address.replace(/\/$/, ""),
    close: () => Promise.resolve(),
  };
});
afterAll(async () => {
  await app.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function entries(): Array<Record<string, unknown>> {
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("E2 E3 OAuth logging", () => {
  it("logs a failed sign-in with the username stripped of CR/LF, never the password", async () => {
    const password = "Sup3r-Secret-Passw0rd!";
    const response = await tokenRequest(api, {
      grant_type: "password",
      ...webClient,
      username: 'eve\r\n{"forged":true}',
      password,
    });
    expect(response.status).toBe(400);
    const failure = entries().find((entry) => entry.msg === "sign-in failed");
    expect(failure).toMatchObject({
      username: 'eve{"forged":true}',
      outcome: "unknown_user",
      clientId: "next-web",
      // The source of failed sign-ins is what alerting watches (C1 global anomalies).
      ip: "127.0.0.1",
    });
    expect(lines.join("\n")).not.toContain(password);
  });

  it("logs a reuse detection as a warning", async () => {
    const first = await login(api);
    pairOf(await refresh(api, first.refreshToken));
    await refresh(api, first.refreshToken);
    const warning = entries().find((entry) => entry.msg?.toString().includes("reused"));
    expect(warning).toMatchObject({ level: 40, outcome: "reuse_detected", clientId: "next-web" });
  });

  it("never logs passwords, client secrets or tokens", async () => {
    const pair = await login(api);
    const second = pairOf(await refresh(api, pair.refreshToken));
    await revoke(api, { token: second.refreshToken, ...webClient });
    await tokenRequest(api, {
      grant_type: "password",
      ...webClient,
      username: "alice",
      password: "wrong-Pa55",
    });
    const all = lines.join("\n");
    expect(lines.length).toBeGreaterThan(5);
    for (const secret of [
      "alice-password",
      "wrong-Pa55",
      "next-web-secret",
      pair.accessToken,
      pair.refreshToken,
      second.accessToken,
      second.refreshToken,
      pair.refreshToken.slice(8, 48),
    ]) {
      expect(all).not.toContain(secret);
    }
  });
});
