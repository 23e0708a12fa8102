// @module-tag redis
import { Redis } from "ioredis";
import { decode, encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoUsers } from "./support/context";
import {
  type ApiServer,
  CookieJar,
  type Server,
  newSecret,
  signInOverHttp,
  startApi,
  tokensOf,
  startRedis,
  startWeb,
} from "./support/refresh-servers";
import { ifStarted } from "../../../test-support/hooks.js";

/**
 * What a session check costs with REDIS_URL: nothing in the steady state. Every instance
 * mirrors the ended-session list (loaded once, kept current by pub/sub), so neither a page
 * view nor a proxied read makes a Redis round trip; a sign-out on one instance reaches the
 * other within a second; with its subscription gone, an instance asks Redis again. next-auth's
 * session polls read the newest generation numbers from a mirror too, kept current by the
 * announcement every refresh makes.
 * Counted with Redis's own command statistics.
 */
let api: ApiServer;
let redis: Server;
let web: Server;
let other: Server;
let counter: Redis;
const secret = newSecret();
let alice: CookieJar;

beforeAll(async () => {
  api = await startApi({
    accessTokenTtl: 300,
    maxSeconds: 300,
  });
  redis = await startRedis(300);
  const options = { apiUrl: api.url, secret, redisUrl: redis.url, maxSeconds: 300 };
  [web, other] = await Promise.all([startWeb(options), startWeb(options)]);
  counter = new Redis(redis.url);
  alice = await signInOverHttp(web.url, demoUsers.alice.username, demoUsers.alice.password);
}, 90_000);

afterAll(async () => {
  ifStarted(counter)?.disconnect();
  await ifStarted(web)?.stop();
  await ifStarted(other)?.stop();
  await ifStarted(redis)?.stop();
  await ifStarted(api)?.stop();
});

/** Commands Redis has answered, all kinds, minus the INFO calls of this counter itself. */
async function commandsServed(): Promise<number> {
  const stats = await counter.info("commandstats");
  let total = 0;
  for (const match of stats.matchAll(/cmdstat_(\w+):calls=(\d+)/g)) {
    if (match[1] !== "info") total += Number(match[2]);
  }
  return total;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** next-auth's session poll on the first instance. */
const poll = (jar: CookieJar) =>
  fetch(`${web.url}/api/auth/session`, { headers: { cookie: jar.header() } });

/** Refreshes the session of `jar` on the instance at `url` (its access token made due in a copy). */
async function refreshOn(url: string, jar: CookieJar) {
  const claims = await decode({ token: jar.session(), secret });
  if (claims === null || typeof claims.exp !== "number") throw new Error("undecodable session");
  const due = new CookieJar();
  due.cookies.set(
    "next-auth.session-token",
    await encode({
      token: { ...claims, accessTokenExpiresAt: Date.now() - 5_000 },
      secret,
      maxAge: claims.exp - Math.floor(Date.now() / 1000),
    }),
  );
  const refreshed = await fetch(`${url}/api/upstream/jsonapi/node/article?page[limit]=1`, {
    headers: { cookie: due.header(), "x-csrf": "1" },
  });
  expect(refreshed.status).toBe(200);
  due.apply(refreshed);
  return tokensOf(due, secret);
}

describe("Redis round trips of session checks", () => {
  it("a page view and proxied reads cost no Redis round trip in the steady state", async () => {
    const view = () => fetch(`${web.url}/articles`, { headers: { cookie: alice.header() } });
    const read = () =>
      fetch(`${web.url}/api/upstream/jsonapi/node/article?page[limit]=1`, {
        headers: { cookie: alice.header(), "x-csrf": "1" },
      });
    const warm = await view();
    expect(warm.status).toBe(200);
    await warm.text();
    await sleep(500); // the mirrors' first load

    const before = await commandsServed();
    for (let i = 0; i < 3; i += 1) {
      const page = await view();
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Articles");
      const api = await read();
      expect(api.status).toBe(200);
      await api.arrayBuffer();
    }
    expect((await commandsServed()) - before).toBe(0);
  });

  it("session polls cost no Redis round trip in the steady state, and still adopt a refresh made on the other instance", async () => {
    const bob = await signInOverHttp(web.url, demoUsers.bob.username, demoUsers.bob.password);
    const first = await poll(bob);
    expect(first.status).toBe(200);
    await first.text();
    await sleep(300);

    const before = await commandsServed();
    for (let i = 0; i < 3; i += 1) {
      const answer = await poll(bob);
      expect(((await answer.json()) as { user?: { name?: string } }).user).toBeDefined();
    }
    expect((await commandsServed()) - before).toBe(0);

    // The other instance refreshes bob's session (its access token made due in a copy).
    const newest = await refreshOn(other.url, bob);
    expect(newest.refreshToken).not.toBe((await tokensOf(bob, secret)).refreshToken);

    // This instance's poll with the older cookie adopts the newest tokens.
    await sleep(200);
    const adopted = await poll(bob);
    expect(adopted.status).toBe(200);
    bob.apply(adopted);
    expect((await tokensOf(bob, secret)).refreshToken).toBe(newest.refreshToken);
  });

  it("with its subscription dropped, a poll still adopts a refresh announced while it was away", async () => {
    const admin = await signInOverHttp(web.url, demoUsers.admin.username, demoUsers.admin.password);
    const first = await poll(admin);
    expect(first.status).toBe(200);
    await first.text();
    await sleep(300); // this instance now knows the session has no newer generation

    // Both instances' subscriptions drop; the refresh is announced while they reconnect.
    await counter.call("CLIENT", "KILL", "TYPE", "pubsub");
    const newest = await refreshOn(other.url, admin);
    await sleep(1_500); // subscribed again, the announcement missed
    const adopted = await poll(admin);
    expect(adopted.status).toBe(200);
    admin.apply(adopted);
    expect((await tokensOf(admin, secret)).refreshToken).toBe(newest.refreshToken);
  });

  it("a sign-out on one instance is refused by the other within a second", async () => {
    const bob = await signInOverHttp(other.url, demoUsers.bob.username, demoUsers.bob.password);
    const copy = bob.clone();
    const read = (url: string) =>
      fetch(`${url}/api/upstream/jsonapi/node/article?page[limit]=1`, {
        headers: { cookie: copy.header(), "x-csrf": "1" },
      });
    expect((await read(web.url)).status).toBe(200);
    const csrf = await fetch(`${other.url}/api/auth/csrf`, { headers: { cookie: bob.header() } });
    bob.apply(csrf);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    await fetch(`${other.url}/api/auth/signout`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: bob.header() },
      body: new URLSearchParams({ csrfToken, json: "true" }).toString(),
    });
    const signedOutAt = Date.now();
    let status = 200;
    while (status !== 401 && Date.now() - signedOutAt < 1_000) {
      status = (await read(web.url)).status;
      if (status !== 401) await sleep(50);
    }
    expect(status).toBe(401);
  });

  it("with its subscription killed, an instance still sees a sign-out it was not told about", async () => {
    const admin = await signInOverHttp(web.url, demoUsers.admin.username, demoUsers.admin.password);
    const read = () =>
      fetch(`${web.url}/api/upstream/jsonapi/node/article?page[limit]=1`, {
        headers: { cookie: admin.header(), "x-csrf": "1" },
      });
    expect((await read()).status).toBe(200);
    const claims = (await decode({ token: admin.session(), secret })) as { sessionId: string };

    // The subscription drops, and a sign-out reaches Redis without an announcement.
    await counter.call("CLIENT", "KILL", "TYPE", "pubsub");
    await counter.set(`next-token-bff:ended:session:${claims.sessionId}`, "1", "EX", 600);
    const deadline = Date.now() + 3_000;
    let status = 200;
    while (status !== 401 && Date.now() < deadline) {
      await sleep(100);
      status = (await read()).status;
    }
    expect(status).toBe(401);
  });
});
