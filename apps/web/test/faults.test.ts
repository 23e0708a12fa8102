// @module-tag redis
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ifStarted } from "../../../test-support/hooks.js";
import { demoUsers } from "./support/context";
import {
  type ApiServer,
  type RedisServer,
  type Server,
  familyReport,
  newSecret,
  proxiedRead,
  signInOverHttp,
  signOutOverHttp,
  startApi,
  startRedis,
  startWeb,
  tokensOf,
  waitUntil,
} from "./support/refresh-servers";

/**
 * Failures nobody wrote into the happy path: the API frozen while a refresh is in flight, and
 * Redis killed under two instances. No one is signed out by them, and no token family is
 * revoked.
 */
const secret = newSecret();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the API frozen (SIGSTOP) while a refresh is in flight", () => {
  let api: ApiServer;
  let web: Server;

  beforeAll(async () => {
    api = await startApi({
      accessTokenTtl: 3,
      env: { REFRESH_REUSE_INTERVAL: "60" },
    });
    web = await startWeb({ apiUrl: api.url, secret, env: { UPSTREAM_TOKEN_TIMEOUT: "3" } });
  }, 60_000);
  afterAll(async () => {
    api.signal("SIGCONT");
    await ifStarted(web)?.stop();
    await ifStarted(api)?.stop();
  });

  it("the request in flight gets 503; resumed, the next request adopts the refresh the API made; nobody is signed out", async () => {
    const jar = await signInOverHttp(web.url, demoUsers.alice.username, demoUsers.alice.password);
    const first = await tokensOf(jar, secret);
    await waitUntil(first.accessTokenExpiresAt);

    api.signal("SIGSTOP");
    const frozen = await proxiedRead(web.url, jar);
    expect(frozen.status).toBe(503);
    expect(await frozen.json()).toEqual({ error: "refresh_unavailable" });
    expect(web.output()).toMatch(/lost its answer/);

    // The API wakes up and processes the abandoned refresh: the token is rotated upstream.
    api.signal("SIGCONT");
    // A failed refresh is retried after 1 s (the single-flight keeps the failure that long).
    await sleep(1_500);
    const resumed = await proxiedRead(web.url, jar);
    expect(resumed.status).toBe(200);
    jar.apply(resumed);
    expect((await tokensOf(jar, secret)).refreshToken).not.toBe(first.refreshToken);
    expect((await proxiedRead(web.url, jar)).status).toBe(200);
    expect(familyReport(api.databasePath, first.refreshToken)).toEqual({
      refreshes: 1,
      revokedUnrotated: 0,
      live: 1,
    });
  });
});

describe("redis-server killed under two instances, then restarted", () => {
  let api: ApiServer;
  let redis: RedisServer;
  let webA: Server;
  let webB: Server;

  beforeAll(async () => {
    api = await startApi({ accessTokenTtl: 30 });
    redis = await startRedis();
    [webA, webB] = await Promise.all([
      startWeb({ apiUrl: api.url, secret, redisUrl: redis.url }),
      startWeb({ apiUrl: api.url, secret, redisUrl: redis.url }),
    ]);
  }, 60_000);
  afterAll(async () => {
    for (const server of [webA, webB]) await ifStarted(server)?.stop();
    await ifStarted(redis)?.stop();
    await ifStarted(api)?.stop();
  });

  it("0 unintended sign-outs, 0 families revoked, and a sign-out made during the outage is refused by both once Redis is back", async () => {
    const alice = await signInOverHttp(
      webA.url,
      demoUsers.alice.username,
      demoUsers.alice.password,
    );
    const bob = await signInOverHttp(webB.url, demoUsers.bob.username, demoUsers.bob.password);
    const bobCookie = bob.clone();
    const aliceTokens = await tokensOf(alice, secret);

    await redis.stop();
    await sleep(300);
    // Live access tokens keep working on both instances.
    for (const url of [webA.url, webB.url])
      expect((await proxiedRead(url, alice)).status).toBe(200);

    // Bob signs out on A while Redis is down: A refuses his cookie at once; B cannot know yet
    // (the documented window: at most the access token's remaining lifetime, no refresh).
    await signOutOverHttp(webA.url, bob);
    expect((await proxiedRead(webA.url, bobCookie)).status).toBe(401);

    await redis.restart();
    // ioredis reconnects within about a second; the kept sign-out is written then.
    const deadline = Date.now() + 5_000;
    let seenByB = 0;
    while (Date.now() < deadline && seenByB !== 401) {
      await sleep(250);
      seenByB = (await proxiedRead(webB.url, bobCookie)).status;
    }
    expect(seenByB).toBe(401);
    expect((await proxiedRead(webA.url, bobCookie)).status).toBe(401);

    // Alice was never signed out, and nothing was revoked in her family.
    for (const url of [webA.url, webB.url])
      expect((await proxiedRead(url, alice)).status).toBe(200);
    expect(familyReport(api.databasePath, aliceTokens.refreshToken).revokedUnrotated).toBe(0);
  });
});
