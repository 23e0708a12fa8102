import { decode, encode } from "next-auth/jwt";
import { familyReport, signInOverHttp, tokensOf } from "../test/support/refresh-servers";
import { accept, alice, config, sessionCookie, upstreamPath } from "./config";
import { sleep, timed } from "./timing";

/** One storm: BENCH_STORM_SIZE concurrent proxied requests with one session. */
export interface StormResult {
  /** False: the control storm, same requests with a session that needs no refresh. */
  expired: boolean;
  latencies: number[];
  statuses: Map<number, number>;
  refreshes: number;
  revoked: number;
  newTokens: number;
  wallMs: number;
  /** Answers per instance, when a balancer says which one served them (`X-Bench-Instance`). */
  servedBy: Map<string, number>;
}

/**
 * A signed-in jar whose access token the app considers expired: the session cookie is decoded
 * with the secret, `accessTokenExpiresAt` moved into the past and encoded again (the API's
 * tokens live a day in the bench so the load scenarios never refresh). The refresh itself is
 * the real refresh_token grant.
 */
export async function expiredSession(webUrl: string, secret: string) {
  const jar = await signInOverHttp(webUrl, alice.username, alice.password);
  const tokens = await tokensOf(jar, secret);
  const claims = await decode({ token: jar.session(), secret });
  if (claims === null || typeof claims.exp !== "number") throw new Error("undecodable session");
  const names = [...jar.cookies.keys()].filter((name) => name.startsWith(sessionCookie));
  if (names.length !== 1) throw new Error(`session cookie in ${names.length} chunks`);
  const value = await encode({
    token: { ...claims, accessTokenExpiresAt: Date.now() - 5_000 },
    secret,
    maxAge: claims.exp - Math.floor(Date.now() / 1000),
  });
  jar.cookies.set(sessionCookie, value);
  return { jar, refreshToken: tokens.refreshToken };
}

async function freshSession(webUrl: string, secret: string) {
  const jar = await signInOverHttp(webUrl, alice.username, alice.password);
  return { jar, refreshToken: (await tokensOf(jar, secret)).refreshToken };
}

async function refreshStorm(
  webUrl: string,
  secret: string,
  databasePath: string,
  expired: boolean,
): Promise<StormResult> {
  const { jar, refreshToken } = expired
    ? await expiredSession(webUrl, secret)
    : await freshSession(webUrl, secret);
  const headers = { cookie: jar.header(), "x-csrf": "1", accept };
  const statuses = new Map<number, number>();
  const servedBy = new Map<string, number>();
  const cookies = new Set<string>();
  const started = performance.now();
  const latencies = await Promise.all(
    Array.from({ length: config.stormSize }, async () => {
      const { ms } = await timed(async () => {
        const response = await fetch(`${webUrl}/api/upstream${upstreamPath}`, { headers });
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const instance = response.headers.get("x-bench-instance");
        if (instance !== null) servedBy.set(instance, (servedBy.get(instance) ?? 0) + 1);
        for (const line of response.headers.getSetCookie()) {
          if (line.startsWith(`${sessionCookie}=`)) cookies.add(line.split(";", 1)[0] ?? "");
        }
      });
      return ms;
    }),
  );
  const wallMs = performance.now() - started;
  const family = familyReport(databasePath, refreshToken);
  return {
    expired,
    latencies,
    statuses,
    refreshes: family.refreshes,
    revoked: family.revokedUnrotated,
    newTokens: cookies.size,
    wallMs,
    servedBy,
  };
}

/**
 * BENCH_STORMS pairs: a control storm, then the same storm with an expired session. `webUrl` may
 * be a balancer over several instances (the sign-ins go through it too).
 */
export async function runStorms(
  webUrl: string,
  secret: string,
  databasePath: string,
  label = "",
): Promise<StormResult[]> {
  const results: StormResult[] = [];
  for (let index = 0; index < config.storms; index += 1) {
    console.log(`… refresh storm ${index + 1}${label}`);
    // The control first: the same storm with a session that needs no refresh.
    results.push(await refreshStorm(webUrl, secret, databasePath, false));
    await sleep(500);
    results.push(await refreshStorm(webUrl, secret, databasePath, true));
    await sleep(500);
  }
  return results;
}
