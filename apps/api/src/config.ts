import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { Compat } from "./oauth/compat.js";
import { redirectUriProblem } from "./oauth/redirect-uri.js";

const booleanFlag = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off"])
  .transform((value) => ["1", "true", "yes", "on"].includes(value));

const seconds = z.coerce.number().int().positive();

/** Where the web app's next-auth callback lives in the demo setup (`npm start`). */
export const DEMO_WEB_REDIRECT_URI = "http://localhost:3000/api/auth/callback/upstream";

/** A comma-separated list of redirect URIs, each one registrable (absolute http(s), no fragment). */
const redirectUriList = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .superRefine((uris, context) => {
    for (const uri of uris) {
      const problem = redirectUriProblem(uri);
      if (problem !== undefined) context.addIssue({ code: "custom", message: `${uri} ${problem}` });
    }
  });

const defaultDatabasePath = fileURLToPath(new URL("../data/reference-api.sqlite", import.meta.url));

const configSchema = z
  .object({
    API_HOST: z.string().min(1).default("127.0.0.1"),
    API_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    DATABASE_PATH: z.string().min(1).default(defaultDatabasePath),
    ACCESS_TOKEN_TTL: seconds.default(300),
    REFRESH_TOKEN_TTL: seconds.default(1_209_600),
    // Seconds a just-rotated refresh token still gets the same answer (0: off).
    REFRESH_REUSE_INTERVAL: z.coerce.number().int().min(0).max(600).default(30),
    API_ISSUER: z.url().optional(),
    // Which simple_oauth to answer like: 6 (6.x, league 9) or 5 (5.2, league 8).
    API_COMPAT: z
      .enum(["5", "6"])
      .default("6")
      .transform((value): Compat => (value === "5" ? 5 : 6)),
    DEMO_DATA: booleanFlag.default(true),
    API_CLIENT_SECRET: z.string().min(16).optional(),
    TRUSTED_PROXIES: z.string().optional(),
    // Redirect URIs of `next-web` for the authorization code flow (exact match).
    API_WEB_REDIRECT_URIS: redirectUriList.optional(),
    // Drupal core's user.flood defaults: user_limit 5 per user_window 6 h (per account and
    // client address), ip_limit 50 per ip_window 1 h (per client address).
    LOGIN_FAILURES_PER_USER: z.coerce.number().int().positive().default(5),
    LOGIN_FAILURE_WINDOW: seconds.default(21_600),
    LOGIN_FAILURES_PER_IP: z.coerce.number().int().positive().default(50),
    LOGIN_FAILURE_IP_WINDOW: seconds.default(3600),
    // The account-wide slow-down (any address): never a refusal, only a capped delay.
    LOGIN_SLOWDOWN_AFTER: z.coerce.number().int().min(0).default(5),
    LOGIN_SLOWDOWN_START_MS: z.coerce.number().int().min(1).max(60_000).default(500),
    LOGIN_SLOWDOWN_MAX_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info"),
  })
  .transform((env) => ({
    host: env.API_HOST,
    port: env.API_PORT,
    databasePath: env.DATABASE_PATH,
    accessTokenTtl: env.ACCESS_TOKEN_TTL,
    refreshTokenTtl: env.REFRESH_TOKEN_TTL,
    refreshReuseInterval: env.REFRESH_REUSE_INTERVAL,
    // Drupal 6.0.9 writes the site's base URL, with a trailing slash, as `iss`.
    issuer: withTrailingSlash(env.API_ISSUER ?? `http://${env.API_HOST}:${env.API_PORT}`),
    compat: env.API_COMPAT,
    demoData: env.DEMO_DATA,
    clientSecret: env.API_CLIENT_SECRET,
    // Demo data brings the demo web app's callback; otherwise the code flow needs the variable.
    webRedirectUris: env.API_WEB_REDIRECT_URIS ?? (env.DEMO_DATA ? [DEMO_WEB_REDIRECT_URI] : []),
    trustedProxies: env.TRUSTED_PROXIES?.split(",")
      .map((entry) => entry.trim())
      .filter(Boolean),
    loginLimits: {
      perAccountAndAddress: env.LOGIN_FAILURES_PER_USER,
      accountWindowSeconds: env.LOGIN_FAILURE_WINDOW,
      perAddress: env.LOGIN_FAILURES_PER_IP,
      addressWindowSeconds: env.LOGIN_FAILURE_IP_WINDOW,
      slowdown: {
        after: env.LOGIN_SLOWDOWN_AFTER,
        startMs: env.LOGIN_SLOWDOWN_START_MS,
        maxMs: env.LOGIN_SLOWDOWN_MAX_MS,
      },
    },
    logLevel: env.LOG_LEVEL,
  }));

export type ApiConfig = z.output<typeof configSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Reads the API's configuration from the environment; every bad variable is reported in one error. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `  ${issue.path.join(".") || "(env)"}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid API configuration:\n${problems.join("\n")}`);
  }
  return result.data;
}

function withTrailingSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}
