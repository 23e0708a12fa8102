import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { type BffCore, createBffCore } from "../src/lib/bff/bff.js";
import { loadBffConfig } from "../src/lib/config/bff-config.js";
import type { UpstreamProvider } from "../src/lib/providers/types.js";
import { createMemoryRefreshCoordinator } from "../src/lib/refresh/memory-coordinator.js";
import { createSessionRefresher } from "../src/lib/refresh/session-refresh.js";
import { createUpstreamRefreshHook } from "../src/lib/upstream/upstream-refresh-hook.js";
import { createUpstreamRoute } from "../src/lib/upstream/upstream-route.js";
import { jwtApiProvider } from "./helpers/examples/jwt-api-provider.js";
import { shopProvider } from "./helpers/examples/shop-provider.js";
import { startJwtApi, startShopApi } from "./helpers/json-api-fakes.js";
import { json, proxyRequest } from "./upstream/support/requests.js";
import { APP_ORIGIN, TEST_SECRET, sessionCookie, signIn } from "./upstream/support/sessions.js";

/**
 * createJsonTokenProvider, through the two worked examples of docs/providers.md (the files in
 * helpers/examples are the documented code, checked below), against fakes of the two APIs of
 * issue 19: sign-in, user mapping, one refresh per burst of expired requests, sign-out revoking
 * the refresh token, a blocked account.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const stops: Array<() => Promise<void>> = [];
const logged: string[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

/** The library as createBff wires it: provider, refresher with its single-flight, the proxy route. */
function bffFor(provider: UpstreamProvider, url: string, paths: string) {
  const core: BffCore = createBffCore({
    config: loadBffConfig({
      UPSTREAM_URL: url,
      UPSTREAM_CLIENT_ID: "unused",
      UPSTREAM_CLIENT_SECRET: "unused",
      UPSTREAM_PATHS: paths,
      NEXTAUTH_URL: APP_ORIGIN,
      NEXTAUTH_SECRET: TEST_SECRET,
    }),
    provider,
    log: (message, error) => void logged.push(`${message}: ${String(error)}`),
  });
  const refresher = createSessionRefresher({
    getBff: () => core,
    coordinator: createMemoryRefreshCoordinator({ secret: TEST_SECRET, graceMs: 30_000 }),
    skewSeconds: 0,
  });
  const route = createUpstreamRoute({
    getBff: () => core,
    refresh: createUpstreamRefreshHook(refresher),
    refreshSkewSeconds: 0,
    log: () => undefined,
  });
  return { core, route };
}

const burst = (route: ReturnType<typeof bffFor>["route"], upstreamPath: string, cookie: string) =>
  Promise.all(Array.from({ length: 12 }, () => route.GET(proxyRequest(upstreamPath, { cookie }))));

const waitUntil = (epochMs: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, epochMs - Date.now() + 50)));

describe("the worked examples are the documented code, each at most 25 lines", () => {
  const docs = readFileSync(path.join(here, "../../../docs/providers.md"), "utf8");
  it.each(["shop-provider.ts", "jwt-api-provider.ts"])("%s", (file) => {
    const source = readFileSync(path.join(here, "helpers/examples", file), "utf8")
      .replace('"../../../src/providers.js"', '"next-token-bff/providers"')
      .trimEnd();
    expect(source.split("\n").length).toBeLessThanOrEqual(25);
    expect(docs).toContain(source);
  });
});

describe("shop API: {data: {access_token, refresh_token, expires}} in epoch ms", () => {
  it("signs in with a JSON body, maps the user, refuses a wrong password and a disabled account", async () => {
    const api = await startShopApi({ accessTtlMs: 60_000 });
    stops.push(api.close);
    const provider = shopProvider(api.url);
    const tokens = await provider.signIn({ username: "kim@shop.test", password: "right" });
    expect(api.requests[0]?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(api.requests[0]?.body ?? "")).toEqual({
      email: "kim@shop.test",
      password: "right",
    });
    expect(tokens.accessTokenExpiresAt).toBe([...api.access.values()][0]?.expiresAt);
    expect(await provider.fetchUser(tokens)).toEqual({
      sub: "7",
      name: "Kim Lee",
      username: "kim@shop.test",
      email: "kim@shop.test",
      roles: ["customer"],
    });
    await expect(
      provider.signIn({ username: "kim@shop.test", password: "wrong" }),
    ).rejects.toMatchObject({ code: "invalid_credentials" });
    const blocked = await provider.signIn({ username: "max@shop.test", password: "right" });
    await expect(provider.fetchUser(blocked)).rejects.toMatchObject({ code: "account_disabled" });
  });

  it("refreshes once for a burst of 12 expired requests (under the per-session cap), then sign-out revokes the refresh token", async () => {
    const api = await startShopApi({ accessTtlMs: 1_000 });
    stops.push(api.close);
    const { core, route } = bffFor(shopProvider(api.url), api.url, "/api/");
    const claims = await signIn(core, "kim@shop.test", "right");
    await waitUntil(claims.accessTokenExpiresAt);

    const responses = await burst(route, "/api/orders", await sessionCookie(core, claims));
    expect(responses.map((response) => response.status)).toEqual(Array(12).fill(200));
    expect(await json(responses[0] as Response)).toEqual({ orders: [1, 2] });
    expect(api.counts).toMatchObject({ refreshes: 1, refused: 0 });

    // A path outside UPSTREAM_PATHS never reaches the API.
    const before = api.requests.length;
    const outside = await route.GET(
      proxyRequest("/auth/me", { cookie: await sessionCookie(core, claims) }),
    );
    expect(outside.status).toBe(404);
    expect(api.requests.length).toBe(before);

    // Sign-out: the newest refresh token is revoked (POST /auth/logout with it).
    const fresh = await signIn(core, "kim@shop.test", "right");
    await core.endSession(fresh);
    expect(api.counts.signOuts).toBe(1);
    await expect(shopProvider(api.url).refresh(fresh.refreshToken)).rejects.toMatchObject({
      code: "session_expired",
    });
  });
});

describe("JWT API: {jwt, refreshToken}, refresh at /token/refresh, logout with a live bearer", () => {
  it("signs in, maps the user, takes the expiry from the JWT", async () => {
    const api = await startJwtApi({ accessTtlMs: 60_000 });
    stops.push(api.close);
    const provider = jwtApiProvider(api.url);
    const tokens = await provider.signIn({ username: "kim", password: "right" });
    expect(Math.abs(tokens.accessTokenExpiresAt - (Date.now() + 60_000))).toBeLessThan(2_000);
    expect(await provider.fetchUser(tokens)).toEqual({
      sub: "u-7",
      name: "Kim Lee",
      username: "kim",
      email: null,
      roles: ["customer"],
    });
    expect(provider.refreshBeforeRevoke).toBe(true);
  });

  it('refreshes once per burst; a 403 "jwt expired" is a dead token, a plain 403 is a refusal', async () => {
    const api = await startJwtApi({ accessTtlMs: 1_000 });
    stops.push(api.close);
    const { core, route } = bffFor(jwtApiProvider(api.url), api.url, "/v1/");
    const claims = await signIn(core, "kim", "right");
    await waitUntil(claims.accessTokenExpiresAt);
    const cookie = await sessionCookie(core, claims);
    const responses = await burst(route, "/v1/things", cookie);
    expect(responses.map((response) => response.status)).toEqual(Array(12).fill(200));
    expect(api.counts.refreshes).toBe(1);

    // Killed upstream before its expiry: the API says 403 "jwt expired"; classify reads the
    // body, so the library refreshes once and retries instead of passing a 403 on.
    const live = await signIn(core, "kim", "right");
    api.kill(live.accessToken);
    const revived = await route.GET(
      proxyRequest("/v1/things", { cookie: await sessionCookie(core, live) }),
    );
    expect(revived.status).toBe(200);
    expect(api.counts.refreshes).toBe(2);
    // A real permission refusal stays a 403 and the session is kept.
    const admin = await route.GET(
      proxyRequest("/v1/admin", { cookie: await sessionCookie(core, live) }),
    );
    expect(admin.status).toBe(403);
    expect(await json(admin)).toEqual({ message: "forbidden" });
  });

  it("sign-out after the JWT expired refreshes first, then logs out with a live bearer", async () => {
    const api = await startJwtApi({ accessTtlMs: 800 });
    stops.push(api.close);
    const { core } = bffFor(jwtApiProvider(api.url), api.url, "/v1/");
    const claims = await signIn(core, "kim", "right");
    await waitUntil(claims.accessTokenExpiresAt);
    await core.endSession(claims);
    expect(api.counts.refreshes).toBe(1);
    expect(logged).toEqual([]);
    expect(api.logouts).toEqual([{ liveBearer: true }]);
    expect(api.refresh.size).toBe(0);
  });
});
