import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** Options of {@link startReferenceApi}. */
export interface StartReferenceApiOptions {
  /**
   * The SQLite file. Default: `":memory:"` (a fresh database per start, gone when it stops).
   */
  databasePath?: string;
  /** Access token lifetime in seconds (`ACCESS_TOKEN_TTL`). Default: `300`. */
  accessTokenTtlSeconds?: number;
  /** Further API variables (see docs/configuration.md), e.g. `{ LOGIN_FAILURES_PER_USER: "3" }`. Default: none. */
  env?: Record<string, string>;
  /**
   * Where to resolve `@next-token-bff/api` from (a directory). Default: `process.cwd()`.
   */
  resolveFrom?: string;
}

/** A running reference API: listening on a free loopback port until {@link ReferenceApi.close}. */
export interface ReferenceApi {
  /** Base URL, e.g. `http://127.0.0.1:41234`: the value for `UPSTREAM_URL`. */
  url: string;
  /** The demo OAuth client: `UPSTREAM_CLIENT_ID` (`next-web`). */
  clientId: string;
  /** Its secret: `UPSTREAM_CLIENT_SECRET` (`next-web-secret`, demo data only). */
  clientSecret: string;
  /**
   * The scopes to request (`UPSTREAM_SCOPE`): `openid reader editor administrator` (`openid`
   * brings an id_token, so the sign-in needs no userinfo call).
   */
  scope: string;
  /** The demo sign-ins (`alice`, `bob`, `admin`), each `<name>-password`. */
  users: ReadonlyArray<{ username: string; password: string }>;
  /** Stops listening and closes the database. */
  close(): Promise<void>;
}

interface ApiModules {
  loadConfig(env: Record<string, string | undefined>): unknown;
  createServer(config: unknown): Promise<{
    app: { listen(options: { host: string; port: number }): Promise<string> };
    close(): Promise<void>;
  }>;
}

/**
 * Starts the reference API (workspace `@next-token-bff/api`, simple_oauth 6.x + JSON:API) in
 * this process, with demo data, on `127.0.0.1` and a free port. It imports the API's built
 * modules (`dist/server.js`, `dist/config.js`): run `npm run build -w apps/api` first. No
 * signal handlers are installed and nothing is logged; call `close()` in your `afterAll`.
 * Throws when the package is not installed or not built.
 */
export async function startReferenceApi(
  options: StartReferenceApiOptions = {},
): Promise<ReferenceApi> {
  const require = createRequire(path.join(options.resolveFrom ?? process.cwd(), "noop.js"));
  let root: string;
  try {
    root = path.dirname(require.resolve("@next-token-bff/api/package.json"));
  } catch (error) {
    throw new Error(
      "startReferenceApi needs the workspace package @next-token-bff/api (apps/api) installed",
      { cause: error },
    );
  }
  const load = async (file: string) =>
    (await import(pathToFileURL(path.join(root, "dist", file)).href)) as Partial<ApiModules>;
  const [configModule, serverModule] = await Promise.all([load("config.js"), load("server.js")]);
  const { loadConfig } = configModule;
  const { createServer } = serverModule;
  if (loadConfig === undefined || createServer === undefined) {
    throw new Error("@next-token-bff/api is not built: run `npm run build -w apps/api`");
  }
  const config = loadConfig({
    API_HOST: "127.0.0.1",
    API_PORT: "0",
    DATABASE_PATH: options.databasePath ?? ":memory:",
    DEMO_DATA: "1",
    ACCESS_TOKEN_TTL: String(options.accessTokenTtlSeconds ?? 300),
    LOG_LEVEL: "silent",
    ...options.env,
  });
  const server = await createServer(config);
  let url: string;
  try {
    url = await server.app.listen({ host: "127.0.0.1", port: 0 });
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    url,
    clientId: "next-web",
    clientSecret: "next-web-secret",
    scope: "openid reader editor administrator",
    users: ["alice", "bob", "admin"].map((name) => ({
      username: name,
      password: `${name}-password`,
    })),
    close: () => server.close(),
  };
}
