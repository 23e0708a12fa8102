import { createRefresherFromEnv } from "next-token-bff/refresh";
import { getBff } from "./bff";

/**
 * Token refresh for `proxy.ts`, the upstream route and `/api/session/refresh`: single-flight in
 * this process, and across instances through Redis when `REDIS_URL` is set. Skew and grace
 * window: `REFRESH_SKEW_SECONDS`, `REFRESH_GRACE_SECONDS`.
 */
export const getRefresher = createRefresherFromEnv(getBff);
