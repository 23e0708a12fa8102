import { loadConfig } from "./config.js";
import { DEMO_CLIENT_SECRET, WEB_CLIENT_ID, WEB_CLIENT_UUID } from "./db/bootstrap.js";
import { createServer } from "./server.js";

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
}

/** A running reference API: listening on a free loopback port until {@link ReferenceApi.close}. */
export interface ReferenceApi {
  /** Base URL, e.g. `http://127.0.0.1:41234`: the value for `UPSTREAM_URL`. */
  url: string;
  /**
   * The demo OAuth client: `UPSTREAM_CLIENT_ID` (`next-web`; with `API_COMPAT=5` its UUID,
   * `a6a1f7fe-a77c-466d-a5a2-17098cec0c50`).
   */
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

/**
 * Starts the reference API (simple_oauth 6.x + JSON:API) in this process, with demo data, on
 * `127.0.0.1` and a free port. No signal handlers are installed and nothing is logged; call
 * `close()` in your `afterAll`. Throws `ConfigError` for a bad `env` value.
 */
export async function startReferenceApi(
  options: StartReferenceApiOptions = {},
): Promise<ReferenceApi> {
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
    clientId: config.compat === 5 ? WEB_CLIENT_UUID : WEB_CLIENT_ID,
    clientSecret: DEMO_CLIENT_SECRET,
    scope: "openid reader editor administrator",
    users: ["alice", "bob", "admin"].map((name) => ({
      username: name,
      password: `${name}-password`,
    })),
    close: () => server.close(),
  };
}
