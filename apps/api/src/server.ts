import type { FastifyInstance, FastifyServerOptions } from "fastify";
import { buildApp, redactedLogPaths } from "./app.js";
import { loadConfig, type ApiConfig } from "./config.js";
import { bootstrap, WEB_CLIENT_ID, WEB_CLIENT_UUID } from "./db/bootstrap.js";
import { openDatabase } from "./db/database.js";
import { demoUsers } from "./db/demo-data.js";
import { createServices, type Services } from "./services.js";

export interface ApiServer {
  app: FastifyInstance;
  services: Services;
  /** Closes the HTTP server, then the database. */
  close(): Promise<void>;
}

/** The production logger: JSON lines, secrets redacted, request paths without query strings. */
export function serverLoggerOptions(level: ApiConfig["logLevel"]): FastifyServerOptions["logger"] {
  return {
    level,
    redact: { paths: redactedLogPaths, censor: "[redacted]" },
    serializers: {
      // Log the path only: a query string may carry credentials someone sent by mistake.
      req: (req: { method: string; url: string; id: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split("?")[0],
      }),
    },
  };
}

/**
 * Everything the server is made of, without listening: database (migrated), services,
 * first-start data, the Fastify app. The bench and `startServer` share it.
 */
export async function createServer(
  config: ApiConfig,
  options: { logger?: FastifyServerOptions["logger"] } = {},
): Promise<ApiServer> {
  const db = openDatabase(config.databasePath);
  try {
    const services = createServices(config, db);
    await bootstrap(services);
    const app = await buildApp({ services, logger: options.logger ?? false });
    return {
      app,
      services,
      async close() {
        await app.close();
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

export interface RunningServer extends ApiServer {
  /** The listening address, e.g. `http://127.0.0.1:4000`. */
  address: string;
}

/**
 * Starts the reference API as a process: configuration from `env`, database, first-start data,
 * listen on API_HOST:API_PORT, and a clean shutdown (exit code 0) on SIGINT or SIGTERM.
 * Throws `ConfigError` for bad configuration.
 */
export async function startServer(env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  const config = loadConfig(env);
  const server = await createServer(config, { logger: serverLoggerOptions(config.logLevel) });
  const { app } = server;

  let closing: Promise<void> | undefined;
  const shutDown = (signal: NodeJS.Signals) => {
    closing ??= (async () => {
      app.log.info({ signal }, "shutting down");
      try {
        await server.close();
        process.exit(0);
      } catch (error) {
        app.log.error({ err: error }, "shutdown failed");
        process.exit(1);
      }
    })();
  };
  process.once("SIGINT", shutDown);
  process.once("SIGTERM", shutDown);

  let address: string;
  try {
    address = await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    process.removeListener("SIGINT", shutDown);
    process.removeListener("SIGTERM", shutDown);
    await server.close();
    throw error;
  }
  app.log.info(`Reference API listening on ${address} (database ${config.databasePath})`);
  if (config.compat === 5) {
    app.log.info(
      `simple_oauth 5.x compatibility (API_COMPAT=5): client ids are consumer UUIDs; ${WEB_CLIENT_ID} is ${WEB_CLIENT_UUID}`,
    );
  }
  if (config.demoData) {
    app.log.info(
      `Demo data is on. Sign-ins: ${demoUsers.map((u) => `${u.name}/${u.password}`).join(", ")}; OAuth client ${WEB_CLIENT_ID}`,
    );
  }
  return { ...server, address };
}
