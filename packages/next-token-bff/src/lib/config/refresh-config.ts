import { z } from "zod";
import { BffError } from "../errors/bff-error.js";

const envSchema = z.object({
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  REDIS_KEY_PREFIX: z.string().min(1).default("next-token-bff:"),
  REFRESH_SKEW_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  REFRESH_GRACE_SECONDS: z.coerce.number().min(1).max(600).default(30),
  REFRESH_LOCAL_FALLBACK: z.enum(["0", "1"]).default("0"),
  SESSION_STORE_PATH: z.string().min(1).default(".next-token-bff/sessions.sqlite"),
  SESSION_GENERATIONS_MAX: z.coerce.number().int().min(100).max(10_000_000).default(100_000),
});

/** Refresh and session-store settings from the environment ({@link loadRefreshConfig}). */
export interface RefreshConfig {
  /** `REDIS_URL`. Unset: one web instance, coordination in memory. Default: `undefined`. */
  redisUrl: string | undefined;
  /** `REDIS_KEY_PREFIX`. Default: `next-token-bff:`. */
  redisKeyPrefix: string;
  /** Refresh when the access token expires this soon (at most half its lifetime). Default 30 s. */
  skewSeconds: number;
  /** How long a finished refresh is kept for requests with the old cookie. Default 30 s. */
  graceSeconds: number;
  /**
   * `REFRESH_LOCAL_FALLBACK=1`: while Redis is unreachable, refresh within this process (only
   * safe with one instance). Default: off, such refreshes answer 503 and keep the session.
   */
  localFallback: boolean;
  /**
   * `SESSION_STORE_PATH`: without Redis, the SQLite file that keeps sign-outs and session
   * generations across restarts; `memory` keeps them in memory only. Default:
   * `.next-token-bff/sessions.sqlite` (relative to the working directory).
   */
  sessionStorePath: string | null;
  /**
   * `SESSION_GENERATIONS_MAX`: how many sessions' newest generations this process keeps in
   * memory (least recently used go first; with Redis, Redis keeps them all). Default: 100,000.
   */
  generationsMaxEntries: number;
}

/** `REDIS_URL`, `REDIS_KEY_PREFIX`, `REFRESH_*`, `SESSION_STORE_PATH`. */
export function loadRefreshConfig(env: Record<string, string | undefined>): RefreshConfig {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `  - ${issue.path.join(".")} ${issue.message}`,
    );
    throw new BffError("misconfigured", `Invalid refresh configuration:\n${problems.join("\n")}`);
  }
  const data = result.data;
  return {
    redisUrl: data.REDIS_URL,
    redisKeyPrefix: data.REDIS_KEY_PREFIX,
    skewSeconds: data.REFRESH_SKEW_SECONDS,
    graceSeconds: data.REFRESH_GRACE_SECONDS,
    localFallback: data.REFRESH_LOCAL_FALLBACK === "1",
    sessionStorePath: data.SESSION_STORE_PATH === "memory" ? null : data.SESSION_STORE_PATH,
    generationsMaxEntries: data.SESSION_GENERATIONS_MAX,
  };
}
