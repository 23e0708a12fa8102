// @module-tag redis
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoUsers } from "./support/context";
import {
  type ApiServer,
  type CookieJar,
  type Server,
  newSecret,
  signInOverHttp,
  startApi,
  startRedis,
  startWeb,
} from "./support/refresh-servers";
import { ifStarted } from "../../../test-support/hooks.js";

/**
 * Issue 7: how often one page view checks the session. With REDIS_URL every check asks Redis
 * for the ended-session list (one MGET), so Redis's own command counter tells how many checks
 * a navigation to /articles makes: `proxy.ts` once, the render once (the root layout, the
 * protected layout and the page's upstream client share it through React's `cache`).
 */
let api: ApiServer;
let redis: Server;
let web: Server;
let counter: Redis;
let alice: CookieJar;

beforeAll(async () => {
  api = await startApi({
    accessTokenTtl: 300,
    maxSeconds: 300,
  });
  redis = await startRedis(300);
  web = await startWeb({
    apiUrl: api.url,
    secret: newSecret(),
    redisUrl: redis.url,
    maxSeconds: 300,
  });
  counter = new Redis(redis.url);
  alice = await signInOverHttp(web.url, demoUsers.alice.username, demoUsers.alice.password);
}, 90_000);

afterAll(async () => {
  ifStarted(counter)?.disconnect();
  await ifStarted(web)?.stop();
  await ifStarted(redis)?.stop();
  await ifStarted(api)?.stop();
});

async function mgetCalls(): Promise<number> {
  const stats = await counter.info("commandstats");
  return Number(/cmdstat_mget:calls=(\d+)/.exec(stats)?.[1] ?? 0);
}

describe("session checks per page view", () => {
  it("a navigation to /articles checks the session twice: once in proxy.ts, once for the whole render", async () => {
    const view = () => fetch(`${web.url}/articles`, { headers: { cookie: alice.header() } });
    const warm = await view();
    expect(warm.status).toBe(200);
    await warm.text();

    const counts: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const before = await mgetCalls();
      const response = await view();
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("Articles");
      counts.push((await mgetCalls()) - before);
    }
    expect(counts).toEqual([2, 2, 2]);
  });
});
