import { buildApp, redactedLogPaths } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { bootstrap } from "./db/bootstrap.js";
import { openDatabase } from "./db/database.js";
import { demoUsers } from "./db/demo-data.js";
import { createServices } from "./services.js";

/** Starts the reference API: configuration, database, first-start data, then listen. */
async function main(): Promise<void> {
  const config = loadConfig();
  const db = openDatabase(config.databasePath);
  const services = createServices(config, db);
  await bootstrap(services);

  const app = await buildApp({
    services,
    logger: {
      level: config.logLevel,
      redact: { paths: redactedLogPaths, censor: "[redacted]" },
      serializers: {
        // Log the path only: a query string may carry credentials someone sent by mistake.
        req: (req: { method: string; url: string; id: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split("?")[0],
        }),
      },
    },
  });

  const close = async (signal: string) => {
    app.log.info({ signal }, "shutting down");
    await app.close();
    db.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void close("SIGINT"));
  process.once("SIGTERM", () => void close("SIGTERM"));

  const address = await app.listen({ host: config.host, port: config.port });
  app.log.info(`Reference API listening on ${address} (database ${config.databasePath})`);
  if (config.demoData) {
    app.log.info(
      `Demo data is on. Sign-ins: ${demoUsers.map((u) => `${u.name}/${u.password}`).join(", ")}; OAuth client next-web`,
    );
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78); // EX_CONFIG
  }
  console.error(error);
  process.exit(1);
});
