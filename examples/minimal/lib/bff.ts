import { createRefresherFromEnv } from "next-token-bff/refresh";
import { type Bff, createBff, loadBffConfig } from "next-token-bff/server";

let bff: Bff | undefined;

/** The BFF, built on first use from the environment (UPSTREAM_*, NEXTAUTH_*). */
export const getBff = (): Bff => (bff ??= createBff({ config: loadBffConfig(process.env) }));

/** Token refresh, single-flight (in this process, or through Redis with REDIS_URL). */
export const getRefresher = createRefresherFromEnv(getBff);
