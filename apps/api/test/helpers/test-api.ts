import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../src/app.js";
import { loadConfig, type ApiConfig } from "../../src/config.js";
import { bootstrap } from "../../src/db/bootstrap.js";
import { openDatabase } from "../../src/db/database.js";
import { createServices, type Services } from "../../src/services.js";

export const TEST_ISSUER = "http://reference-api.test/";
export const WEB_CLIENT = { id: "next-web", secret: "next-web-secret" } as const;

export interface TestApi {
  app: FastifyInstance;
  services: Services;
  /** Base URL of the listening server, without a trailing slash. */
  url: string;
  config: ApiConfig;
  databasePath: string;
  close(): Promise<void>;
}

/**
 * Starts the real API with demo data on a fresh SQLite file in a temp dir, listening on a free
 * loopback port. `env` overrides configuration (TTLs, limits); `databasePath` reuses a file
 * (restart tests); the file is removed on close only when this call created it.
 */
export async function startTestApi(
  env: Record<string, string> = {},
  options: { databasePath?: string } = {},
): Promise<TestApi> {
  const dir = options.databasePath ? undefined : mkdtempSync(join(tmpdir(), "reference-api-"));
  const databasePath = options.databasePath ?? join(dir ?? "", "api.sqlite");
  const config = loadConfig({
    DATABASE_PATH: databasePath,
    API_PORT: "0",
    API_ISSUER: TEST_ISSUER,
    LOG_LEVEL: "silent",
    ...env,
  });
  const db = openDatabase(databasePath);
  const services = createServices(config, db);
  await bootstrap(services);
  const app = await buildApp({ services });
  const address = await app.listen({ host: "127.0.0.1", port: 0 });

  return {
    app,
    services,
    url: address.replace(/\/$/, ""),
    config,
    databasePath,
    async close() {
      await app.close();
      db.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
