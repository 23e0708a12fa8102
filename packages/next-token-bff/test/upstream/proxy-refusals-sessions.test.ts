import { describe, expect, it } from "vitest";
import { createUpstreamRoute } from "../../src/lib/upstream/upstream-route.js";
import { bff, claims, cookie, route, spy, useRefusalSetup } from "./support/refusals.js";
import { APP, json, proxyRequest, setCookies } from "./support/requests.js";
import { fakeClaims, sessionCookie, testBff } from "./support/sessions.js";

/**
 * The proxy route against a spy upstream that records every request: refusals that come from
 * the session (catalogue A8 A9 A12 A14, B7 upstream 401/403) and the refresh hook (A11 B7),
 * each checked for its status, the cookies it clears AND for what reached the upstream.
 */

useRefusalSetup();

describe("sessions", () => {
  it("A12 no session → 401 not_signed_in, nothing upstream", async () => {
    for (const sent of [
      undefined,
      "other=1",
      `${bff.cookieName}=garbage`,
      `${bff.cookieName}.0=x`,
    ]) {
      const response = await route.GET(
        proxyRequest("/jsonapi/node/article", sent === undefined ? {} : { cookie: sent }),
      );
      expect(response.status).toBe(401);
      expect(await json(response)).toEqual({ error: "not_signed_in" });
    }
    expect(spy.started).toBe(0);
  });

  it("A14 a cookie encrypted with another secret → 401 not_signed_in", async () => {
    const foreign = testBff(spy.url, {
      NEXTAUTH_SECRET: "another-secret-another-secret-another-secret",
    });
    const response = await route.GET(
      proxyRequest("/jsonapi/node/article", { cookie: await sessionCookie(foreign, claims) }),
    );
    expect(response.status).toBe(401);
    expect(spy.started).toBe(0);
  });

  it("A9 an ended session → 401 session_expired, cookie cleared, nothing upstream", async () => {
    expect((await route.GET(proxyRequest("/jsonapi/node/article", { cookie }))).status).toBe(200);
    await bff.endedSessions.endSession(claims.sessionId, claims.authTime + 3600);
    const response = await route.GET(proxyRequest("/jsonapi/node/article", { cookie }));
    expect(response.status).toBe(401);
    expect(await json(response)).toEqual({ error: "session_expired" });
    expect(setCookies(response)[0]).toMatch(/^next-auth\.session-token=; .*Max-Age=0/);
    expect(spy.dataRequests()).toHaveLength(1);
  });

  it("A8 an idle session → 401 session_expired, nothing upstream", async () => {
    const now = Math.floor(Date.now() / 1000);
    const idle = fakeClaims({ authTime: now - 7200, lastActivityAt: now - 7200 });
    const response = await route.GET(
      proxyRequest("/jsonapi/node/article", { cookie: await sessionCookie(bff, idle) }),
    );
    expect(response.status).toBe(401);
    expect(await json(response)).toEqual({ error: "session_expired" });
    expect(spy.started).toBe(0);
  });

  it("B7 upstream 401 without a refresh hook → session_expired, every chunk cleared, the cookie is then refused", async () => {
    // A long access token makes a chunked cookie (name.0, name.1, …).
    const big = fakeClaims({ accessToken: `big-${"t".repeat(6000)}` });
    const chunked = await sessionCookie(bff, big);
    expect(chunked).toContain(`${bff.cookieName}.1=`);
    spy.respond((request, res) => {
      if (request.url === "/oauth/revoke") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end("{}");
        return;
      }
      res.writeHead(401, {
        "content-type": "application/vnd.api+json",
        "www-authenticate": 'Bearer error="invalid_token"',
      });
      res.end('{"errors":[{"status":"401"}]}');
    });
    const response = await route.GET(proxyRequest("/jsonapi/node/article", { cookie: chunked }));
    expect(response.status).toBe(401);
    expect(await json(response)).toEqual({ error: "session_expired" });
    expect(response.headers.get("www-authenticate")).toBeNull();
    const cleared = setCookies(response);
    const names = cleared.map((value) => value.slice(0, value.indexOf("=")));
    expect(names.sort()).toEqual(
      chunked
        .split("; ")
        .map((part) => part.slice(0, part.indexOf("=")))
        .concat(bff.cookieName)
        .sort(),
    );
    for (const value of cleared) {
      expect(value).toMatch(
        /=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; SameSite=Lax$/,
      );
    }
    // The session is on the ended list and its refresh token was revoked upstream.
    expect(spy.requests.find((r) => r.url === "/oauth/revoke")?.body.toString()).toContain(
      big.refreshToken,
    );
    const again = await route.GET(proxyRequest("/jsonapi/node/article", { cookie: chunked }));
    expect(again.status).toBe(401);
    expect(await json(again)).toEqual({ error: "session_expired" });
    expect(spy.dataRequests()).toHaveLength(1);
  });

  it("B7 upstream 403 is passed through and the session is kept", async () => {
    spy.respond((_request, res) => {
      res.writeHead(403, { "content-type": "application/vnd.api+json" });
      res.end('{"errors":[{"status":"403","title":"Forbidden"}]}');
    });
    const response = await route.GET(proxyRequest("/jsonapi/node/article", { cookie }));
    expect(response.status).toBe(403);
    expect(await json(response)).toEqual({ errors: [{ status: "403", title: "Forbidden" }] });
    expect(setCookies(response)).toEqual([]);
    spy.respond((_request, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
    expect((await route.GET(proxyRequest("/jsonapi/node/article", { cookie }))).status).toBe(200);
  });

  it("B7 with endSessionOnForbidden, upstream 403 ends the session", async () => {
    const strict = createUpstreamRoute({ getBff: () => bff, endSessionOnForbidden: true });
    spy.respond((request, res) => {
      res.writeHead(request.url === "/oauth/revoke" ? 200 : 403, {
        "content-type": "application/json",
      });
      res.end("{}");
    });
    const response = await strict.GET(proxyRequest("/jsonapi/node/article", { cookie }));
    expect(response.status).toBe(401);
    expect(await json(response)).toEqual({ error: "session_expired" });
    expect(setCookies(response)).toHaveLength(1);
    const again = await route.GET(proxyRequest("/jsonapi/node/article", { cookie }));
    expect(again.status).toBe(401);
    expect(spy.dataRequests()).toHaveLength(1);
  });
});

describe("A11 B7 refresh hook (issue 5 seam)", () => {
  function answerByToken(accepted: string) {
    spy.respond((request, res) => {
      const ok =
        request.headers.authorization === `Bearer ${accepted}` || request.url === "/oauth/revoke";
      res.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok, body: request.body.toString() }));
    });
  }

  it("upstream 401 → one refresh, one retry with the new token and the same body; Set-Cookie added", async () => {
    const calls: string[] = [];
    const refreshedRoute = createUpstreamRoute({
      getBff: () => bff,
      refresh: ({ claims: current, reason }) => {
        calls.push(reason);
        return Promise.resolve({
          claims: { ...current, accessToken: "fresh-token" },
          setCookies: [`${bff.cookieName}=new-value; Path=/; HttpOnly; SameSite=Lax`],
        });
      },
    });
    answerByToken("fresh-token");
    const body = JSON.stringify({ data: { type: "node--article", attributes: { title: "x" } } });
    const response = await refreshedRoute.POST(
      proxyRequest("/jsonapi/node/article", {
        method: "POST",
        cookie,
        body,
        headers: { "content-type": "application/vnd.api+json" },
      }),
    );
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ ok: true, body });
    expect(calls).toEqual(["rejected"]);
    expect(setCookies(response)).toEqual([
      `${bff.cookieName}=new-value; Path=/; HttpOnly; SameSite=Lax`,
    ]);
    expect(spy.dataRequests().map((r) => [r.headers.authorization, r.body.toString()])).toEqual([
      [`Bearer ${claims.accessToken}`, body],
      ["Bearer fresh-token", body],
    ]);
  });

  it("still 401 after the refresh → session_expired, the refresh is not tried twice", async () => {
    let calls = 0;
    const refreshedRoute = createUpstreamRoute({
      getBff: () => bff,
      refresh: ({ claims: current }) => {
        calls += 1;
        return Promise.resolve({
          claims: { ...current, accessToken: "also-dead" },
          setCookies: ["a=b"],
        });
      },
    });
    answerByToken("never");
    const response = await refreshedRoute.GET(proxyRequest("/jsonapi/node/article", { cookie }));
    expect(response.status).toBe(401);
    expect(await json(response)).toEqual({ error: "session_expired" });
    expect(calls).toBe(1);
    expect(setCookies(response).every((value) => value.includes("Max-Age=0"))).toBe(true);
    expect(spy.dataRequests()).toHaveLength(2);
  });

  it("a refresh that fails → session_expired", async () => {
    const refreshedRoute = createUpstreamRoute({
      getBff: () => bff,
      refresh: () => Promise.resolve(null),
    });
    answerByToken("never");
    const response = await refreshedRoute.GET(proxyRequest("/jsonapi/node/article", { cookie }));
    expect(response.status).toBe(401);
    expect(await json(response)).toEqual({ error: "session_expired" });
    expect(spy.dataRequests()).toHaveLength(1);
  });

  it("a refresh that throws (token endpoint down) → 503 refresh_unavailable, the session is kept", async () => {
    let fail = true;
    const refreshedRoute = createUpstreamRoute({
      getBff: () => bff,
      refresh: ({ claims: current }) => {
        if (fail) return Promise.reject(new Error("token endpoint unreachable"));
        return Promise.resolve({
          claims: { ...current, accessToken: "fresh-token" },
          setCookies: [],
        });
      },
      log: () => {},
    });
    answerByToken("fresh-token");
    const response = await refreshedRoute.GET(proxyRequest("/jsonapi/node/article", { cookie }));
    expect(response.status).toBe(503);
    expect(await json(response)).toEqual({ error: "refresh_unavailable" });
    expect(setCookies(response)).toEqual([]);
    const expired = fakeClaims({ accessTokenExpiresAt: Date.now() - 1000 });
    const expiredCookie = await sessionCookie(bff, expired);
    const due = await refreshedRoute.GET(
      proxyRequest("/jsonapi/node/article", { cookie: expiredCookie }),
    );
    expect(due.status).toBe(503);
    fail = false;
    expect(
      (await refreshedRoute.GET(proxyRequest("/jsonapi/node/article", { cookie }))).status,
    ).toBe(200);
    expect(spy.dataRequests().map((r) => r.headers.authorization)).toEqual([
      `Bearer ${claims.accessToken}`,
      `Bearer ${claims.accessToken}`,
      "Bearer fresh-token",
    ]);
  });

  it("an access token that is due is refreshed before forwarding", async () => {
    const reasons: string[] = [];
    const refreshedRoute = createUpstreamRoute({
      getBff: () => bff,
      refresh: ({ claims: current, reason }) => {
        reasons.push(reason);
        return Promise.resolve({
          claims: { ...current, accessToken: "fresh-token" },
          setCookies: [],
        });
      },
    });
    answerByToken("fresh-token");
    const due = fakeClaims({ accessTokenExpiresAt: Date.now() + 5_000 });
    const response = await refreshedRoute.GET(
      proxyRequest("/jsonapi/node/article", { cookie: await sessionCookie(bff, due) }),
    );
    expect(response.status).toBe(200);
    expect(reasons).toEqual(["due"]);
    expect(spy.dataRequests().map((r) => r.headers.authorization)).toEqual(["Bearer fresh-token"]);
  });
});

it("uses the app origin from NEXTAUTH_URL", () => {
  expect(new URL(bff.config.nextAuthUrl).origin).toBe(APP);
});
