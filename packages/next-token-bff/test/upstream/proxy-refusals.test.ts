import { createServer } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { BffCore as Bff } from "../../src/lib/bff/bff.js";
import { createUpstreamRoute } from "../../src/lib/upstream/upstream-route.js";
import type { UpstreamRoute } from "../../src/lib/upstream/upstream-route.js";
import { APP, json, proxyRequest, setCookies } from "./support/requests.js";
import { fakeClaims, sessionCookie, testBff } from "./support/sessions.js";
import { type SpyUpstream, startSpyUpstream } from "./support/spy-upstream.js";

/**
 * The proxy route against a spy upstream that records every request: each refusal of issue 4
 * (catalogue B1–B12, A15) is checked for its status AND for what reached the upstream.
 */

let spy: SpyUpstream;
let attacker: SpyUpstream;
let bff: Bff;
let route: UpstreamRoute;
let claims: ReturnType<typeof fakeClaims>;
let cookie: string;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

beforeAll(async () => {
  spy = await startSpyUpstream();
  attacker = await startSpyUpstream();
  bff = testBff(spy.url);
  route = createUpstreamRoute({ getBff: () => bff, maxBodyBytes: 1024, timeoutMs: 5_000 });
});

afterAll(async () => {
  await spy.close();
  await attacker.close();
});

beforeEach(async () => {
  spy.reset();
  attacker.reset();
  claims = fakeClaims();
  cookie = await sessionCookie(bff, claims);
});

describe("B3 CSRF", () => {
  it("passes a GET with X-CSRF: 1 and a session through", async () => {
    const response = await route.GET(proxyRequest("/jsonapi/node/article", { cookie }));
    expect(response.status).toBe(200);
    expect(spy.dataRequests()).toHaveLength(1);
  });

  it.each([
    ["GET without X-CSRF", "GET", { "x-csrf": "" }],
    ["GET with X-CSRF: 0", "GET", { "x-csrf": "0" }],
    ["POST without X-CSRF", "POST", { "x-csrf": "" }],
    ["POST from another origin", "POST", { origin: "https://evil.example" }],
    ["POST from a sibling subdomain", "POST", { origin: "http://x.app.test:3000" }],
    ["POST with no Origin and no Sec-Fetch-Site", "POST", { origin: "" }],
    [
      "POST with no Origin, Sec-Fetch-Site: same-site",
      "POST",
      { origin: "", "sec-fetch-site": "same-site" },
    ],
    [
      "POST with no Origin, Sec-Fetch-Site: cross-site",
      "POST",
      { origin: "", "sec-fetch-site": "cross-site" },
    ],
    [
      "POST with our Origin but Sec-Fetch-Site: cross-site",
      "POST",
      { "sec-fetch-site": "cross-site" },
    ],
    ["DELETE from another origin", "DELETE", { origin: "https://evil.example" }],
    ["PATCH with Origin: null", "PATCH", { origin: "null" }],
  ])("%s → 403 csrf, nothing upstream", async (_name, method, headers) => {
    const body = method === "POST" || method === "PATCH" ? "{}" : null;
    const response = await route.handle(
      proxyRequest("/jsonapi/node/article", {
        method,
        cookie,
        body,
        headers: { "content-type": "application/vnd.api+json", ...headers },
      }),
    );
    expect(response.status).toBe(403);
    expect(await json(response)).toEqual({ error: "csrf" });
    expect(spy.started).toBe(0);
  });

  it("accepts an unsafe method with our Origin, or with Sec-Fetch-Site: same-origin and no Origin", async () => {
    const withOrigin = await route.POST(
      proxyRequest("/jsonapi/node/article", {
        method: "POST",
        cookie,
        body: "{}",
        headers: { "content-type": "application/vnd.api+json" },
      }),
    );
    expect(withOrigin.status).toBe(200);
    const withFetchSite = await route.DELETE(
      proxyRequest("/jsonapi/node/article/1", {
        method: "DELETE",
        cookie,
        headers: { origin: "", "sec-fetch-site": "same-origin" },
      }),
    );
    expect(withFetchSite.status).toBe(200);
    expect(spy.dataRequests().map((r) => r.method)).toEqual(["POST", "DELETE"]);
  });
});

describe("B1 paths", () => {
  it.each([
    "/..%2f..%2fadmin",
    "/%2e%2e/%2e%2e/user/1",
    "/jsonapi/%2e%2e/oauth/token",
    "/jsonapi/.%2e/oauth/token",
    "/jsonapi/..",
    "/jsonapi/../oauth/token",
    "/jsonapi%2F..%2F..%2Foauth%2Ftoken",
    "/jsonapi/node%2farticle",
    "/jsonapi/..%5c..%5coauth/token",
    "/jsonapi/node%5Carticle",
    "/jsonapi\\..\\..\\oauth\\token",
    "//evil.example/jsonapi/x",
    "/jsonapi//node/article",
    "/jsonapi/node/article/",
    "/%2F%2Fevil.example/x",
    "/%5C%5Cevil.example/x",
    "/@evil.example/x",
    "/jsonapi/node@evil.example",
    "/jsonapi/node%40evil.example",
    "/http:%2F%2F169.254.169.254%2F",
    "/http://169.254.169.254/latest",
    "/https://evil.example/jsonapi",
    "/jsonapi/%252e%252e%252foauth",
    "/jsonapi/%c0%ae%c0%ae/oauth",
    "/jsonapi/%E0%A4%A",
    "/jsonapi/node%00",
    "/jsonapi/node%0d%0aX-Injected:%201",
    "/jsonapi/node%01",
    "/jsonapi/node%7f",
    "/jsonapi/node;x=y",
    "/jsonapi/node%3Fsmuggled=1",
    "/jsonapi/node%23fragment",
    "/jsonapi/node%20article",
    "/oauth/token",
    "/user/login",
    "/jsonapix/node",
    "/JSONAPI/node/article",
    "",
    "/",
    `/jsonapi/${"a/".repeat(5000)}a`,
  ])("%s → 400 bad_path, nothing upstream", async (path) => {
    const response = await route.GET(proxyRequest(path, { cookie }));
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({ error: "bad_path" });
    expect(spy.started).toBe(0);
    expect(attacker.started).toBe(0);
  });

  it("refuses a path that Next's route parameters read differently from the URL", async () => {
    // Next hands the catch-all segments over decoded; a raw "\" would show up there.
    const response = await route.GET(proxyRequest("/jsonapi/node/article", { cookie }), {
      params: Promise.resolve({ path: ["jsonapi", "node\\..\\..", "article"] }),
    });
    expect(response.status).toBe(400);
    expect(spy.started).toBe(0);
  });

  it("forwards allowed paths to the configured origin only, with the query as sent", async () => {
    const entry = await route.GET(proxyRequest("/jsonapi", { cookie }), {
      params: Promise.resolve({ path: ["jsonapi"] }),
    });
    expect(entry.status).toBe(200);
    const list = await route.GET(
      proxyRequest("/jsonapi/node/article?page[limit]=2&filter[title]=a%2Fb", { cookie }),
      { params: Promise.resolve({ path: ["jsonapi", "node", "article"] }) },
    );
    expect(list.status).toBe(200);
    expect(spy.dataRequests().map((r) => [r.url, r.headers.host])).toEqual([
      ["/jsonapi", spy.host],
      ["/jsonapi/node/article?page[limit]=2&filter[title]=a%2Fb", spy.host],
    ]);
  });

  it("keeps a base path of the upstream URL and allows configured prefixes only", async () => {
    const based = createUpstreamRoute({
      getBff: () => bff,
      upstreamUrl: `${spy.url}/drupal/`,
      allowedPathPrefixes: ["/jsonapi/node/"],
    });
    expect((await based.GET(proxyRequest("/jsonapi/node/article", { cookie }))).status).toBe(200);
    expect((await based.GET(proxyRequest("/jsonapi/user/user", { cookie }))).status).toBe(400);
    expect(spy.requests.map((r) => r.url)).toEqual(["/drupal/jsonapi/node/article"]);
  });
});

describe("B2 A15 request headers", () => {
  it("sends only allow-listed headers and exactly one Authorization: the session's token", async () => {
    const response = await route.POST(
      proxyRequest("/jsonapi/node/article", {
        method: "POST",
        cookie: `${cookie}; other=1; x=1`,
        body: JSON.stringify({ data: { type: "node--article" } }),
        headers: {
          "content-type": "application/vnd.api+json",
          "accept-language": "de",
          "if-match": '"v1"',
          authorization: "Bearer attacker",
          host: "internal",
          "x-forwarded-for": "127.0.0.1",
          "x-forwarded-host": "evil",
          "x-forwarded-proto": "https",
          "x-real-ip": "10.0.0.1",
          forwarded: "for=1.2.3.4",
          "x-user-id": "1",
          "x-http-method-override": "DELETE",
          "proxy-authorization": "Basic eA==",
          connection: "close, authorization",
          "transfer-encoding": "chunked",
        },
      }),
    );
    expect(response.status).toBe(200);
    const [seen] = spy.dataRequests();
    expect(seen?.method).toBe("POST");
    const headers = seen?.headers ?? {};
    expect(headers.authorization).toBe(`Bearer ${claims.accessToken}`);
    expect(seen?.rawHeaders.filter((h) => h.toLowerCase() === "authorization")).toHaveLength(1);
    expect(headers.host).toBe(spy.host);
    expect(headers["content-type"]).toBe("application/vnd.api+json");
    expect(headers["accept-language"]).toBe("de");
    expect(headers["if-match"]).toBe('"v1"');
    for (const name of [
      "cookie",
      "x-forwarded-for",
      "x-forwarded-host",
      "x-forwarded-proto",
      "x-real-ip",
      "forwarded",
      "x-user-id",
      "x-http-method-override",
      "proxy-authorization",
      "x-csrf",
      "origin",
    ]) {
      expect(headers[name], name).toBeUndefined();
    }
    expect(JSON.stringify(seen?.rawHeaders)).not.toContain(cookie.slice(-40));
    expect(seen?.body.toString()).toBe(JSON.stringify({ data: { type: "node--article" } }));
  });

  it.each([
    ["Bearer %"],
    ["Bearer %E0%A4%A"],
    [`Bearer ${"a".repeat(16_000)}`],
    ["Bearer access-token-of-someone"],
  ])("no cookie, Authorization %# → 401 not_signed_in, nothing upstream", async (authorization) => {
    const response = await route.GET(
      proxyRequest("/jsonapi/node/article", { headers: { authorization } }),
    );
    expect(response.status).toBe(401);
    expect(await json(response)).toEqual({ error: "not_signed_in" });
    expect(spy.started).toBe(0);
  });

  it("a session JWE sent as Authorization is not a session", async () => {
    const value = cookie.slice(cookie.indexOf("=") + 1);
    const response = await route.GET(
      proxyRequest("/jsonapi/node/article", { headers: { authorization: `Bearer ${value}` } }),
    );
    expect(response.status).toBe(401);
    expect(spy.started).toBe(0);
  });
});

describe("B2 B4 B5 B6 B11 response headers and content types", () => {
  it("passes allow-listed headers only and adds no-store and nosniff", async () => {
    spy.respond((_request, res) => {
      res.writeHead(200, {
        "content-type": "application/vnd.api+json",
        etag: '"abc"',
        "set-cookie": ["SESS=upstream; Path=/", "other=1"],
        server: "Apache/2.4 (internal)",
        "x-powered-by": "PHP/8.3",
        "x-drupal-cache": "MISS",
        "x-internal-secret": "s3cret",
        "access-control-allow-origin": "*",
        "access-control-allow-credentials": "true",
        "www-authenticate": 'Bearer realm="x"',
        location: `${spy.url}/jsonapi/node/article/1`,
        "cache-control": "public, max-age=3600",
        vary: "Accept",
      });
      res.end('{"data":[]}');
    });
    const response = await route.GET(proxyRequest("/jsonapi/node/article", { cookie }));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"data":[]}');
    expect(response.headers.get("content-type")).toBe("application/vnd.api+json");
    expect(response.headers.get("etag")).toBe('"abc"');
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(setCookies(response)).toEqual([]);
    for (const name of [
      "server",
      "x-powered-by",
      "x-drupal-cache",
      "x-internal-secret",
      "access-control-allow-origin",
      "access-control-allow-credentials",
      "www-authenticate",
      "location",
      "vary",
    ]) {
      expect(response.headers.get(name), name).toBeNull();
    }
    const all: string[] = [];
    response.headers.forEach((value, name) => all.push(`${name}: ${value}`));
    expect(all.join("\n")).not.toContain(spy.host);
  });

  it.each([
    ["text/html; charset=utf-8", "<script>alert(document.cookie)</script>"],
    ["image/svg+xml", "<svg onload=alert(1)></svg>"],
    ["application/javascript", "alert(1)"],
    ["text/plain", '{"data":[]}'],
    ["application/octet-stream", "binary"],
    ["application/vnd.api+json-evil", "{}"],
    [undefined, "<html></html>"],
  ])("upstream content type %s → 502, the body is not served", async (type, body) => {
    spy.respond((_request, res) => {
      res.writeHead(200, type === undefined ? {} : { "content-type": type });
      res.end(body);
    });
    const response = await route.GET(proxyRequest("/jsonapi/node/article", { cookie }));
    expect(response.status).toBe(502);
    expect(response.headers.get("content-type")).toBe("application/json");
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: "upstream_content_type" });
    expect(text).not.toContain(body);
  });

  it("accepts a JSON content type with parameters in any case", async () => {
    spy.respond((_request, res) => {
      res.writeHead(200, { "content-type": "Application/JSON; charset=UTF-8" });
      res.end('{"ok":true}');
    });
    const response = await route.GET(proxyRequest("/jsonapi/node/article", { cookie }));
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ ok: true });
  });

  it("does not follow an upstream redirect: 502, and the other host gets nothing", async () => {
    spy.respond((_request, res) => {
      res.writeHead(302, { location: `${attacker.url}/collect`, "content-type": "text/html" });
      res.end();
    });
    const response = await route.GET(proxyRequest("/jsonapi/node/article", { cookie }));
    expect(response.status).toBe(502);
    expect(await json(response)).toEqual({ error: "upstream_redirect" });
    expect(response.headers.get("location")).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(attacker.started).toBe(0);
  });

  it("passes 204 and 304 without a body", async () => {
    spy.respond((_request, res) => {
      res.writeHead(204);
      res.end();
    });
    const deleted = await route.DELETE(
      proxyRequest("/jsonapi/node/article/1", { method: "DELETE", cookie }),
    );
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe("");
    spy.respond((_request, res) => {
      res.writeHead(304, { etag: '"v1"' });
      res.end();
    });
    const notModified = await route.GET(
      proxyRequest("/jsonapi/node/article/1", { cookie, headers: { "if-none-match": '"v1"' } }),
    );
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get("etag")).toBe('"v1"');
    expect(spy.dataRequests()[1]?.headers["if-none-match"]).toBe('"v1"');
  });

  it("answers HEAD without a body", async () => {
    const response = await route.HEAD(
      proxyRequest("/jsonapi/node/article", { method: "HEAD", cookie }),
    );
    expect(response.status).toBe(200);
    expect(response.body).toBeNull();
    expect(spy.dataRequests()[0]?.method).toBe("HEAD");
  });
});

describe("B8 methods", () => {
  it.each(["PROPFIND", "OPTIONS", "PURGE"])(
    "%s → 405 with Allow, nothing upstream",
    async (method) => {
      const response = await route.handle(
        proxyRequest("/jsonapi/node/article", { method, cookie }),
      );
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("GET, HEAD, POST, PUT, PATCH, DELETE");
      expect(spy.started).toBe(0);
    },
  );
});

describe("B10 B3 request bodies", () => {
  const post = (body: BodyInit, headers: Record<string, string> = {}) =>
    route.POST(
      proxyRequest("/jsonapi/node/article", {
        method: "POST",
        cookie,
        body,
        headers: { "content-type": "application/vnd.api+json", ...headers },
      }),
    );

  it("a declared body over the limit → 413 before anything goes upstream", async () => {
    const response = await post("x".repeat(2048));
    expect(response.status).toBe(413);
    expect(await json(response)).toEqual({ error: "body_too_large" });
    expect(spy.started).toBe(0);
  });

  it("a declared Content-Length over the limit → 413 at once, without reading the body", async () => {
    let pulled = 0;
    const never = new ReadableStream<Uint8Array>({
      pull() {
        pulled += 1;
        return new Promise(() => {});
      },
    });
    const response = await post(never, { "content-length": "5000000" });
    expect(response.status).toBe(413);
    expect(await json(response)).toEqual({ error: "body_too_large" });
    expect(spy.started).toBe(0);
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it("a streamed body (no Content-Length) over the limit → 413, the upstream never gets it whole", async () => {
    const chunk = new TextEncoder().encode("y".repeat(400));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 10) controller.close();
        else {
          sent += 1;
          controller.enqueue(chunk);
        }
      },
    });
    const response = await post(stream);
    expect(response.status).toBe(413);
    expect(await json(response)).toEqual({ error: "body_too_large" });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(spy.dataRequests().filter((r) => r.complete)).toEqual([]);
    expect(sent).toBeLessThan(10);
  });

  it("a streamed body within the limit arrives intact", async () => {
    const parts = ['{"data":', '{"type":"node--article",', '"attributes":{"title":"streamed"}}}'];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
        controller.close();
      },
    });
    const response = await post(stream);
    expect(response.status).toBe(200);
    expect(spy.dataRequests()[0]?.body.toString()).toBe(parts.join(""));
  });

  it("an empty body stream without a media type (a DELETE through Next) is forwarded without a body", async () => {
    const empty = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.close();
      },
    });
    const response = await route.DELETE(
      proxyRequest("/jsonapi/node/article/1", { method: "DELETE", cookie, body: empty }),
    );
    expect(response.status).toBe(200);
    const [seen] = spy.dataRequests();
    expect(seen?.method).toBe("DELETE");
    expect(seen?.body.length).toBe(0);
    expect(seen?.headers["transfer-encoding"]).toBeUndefined();
  });

  it.each([
    ["text/plain", '{"data":{}}'],
    ["application/x-www-form-urlencoded", "a=b"],
    ["multipart/form-data; boundary=x", "--x--"],
    ["", "{}"],
  ])("a body of type %j → 415, nothing upstream", async (type, body) => {
    const response = await post(body, { "content-type": type });
    expect(response.status).toBe(415);
    expect(await json(response)).toEqual({ error: "unsupported_media_type" });
    expect(spy.started).toBe(0);
  });
});

describe("B10 upstream failures: the session is kept", () => {
  it("a slow upstream → 504 upstream_timeout after the configured time", async () => {
    const slowRoute = createUpstreamRoute({ getBff: () => bff, timeoutMs: 200 });
    spy.respond((_request, res) => {
      setTimeout(() => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end("{}");
      }, 1500);
    });
    const started = Date.now();
    const response = await slowRoute.GET(proxyRequest("/jsonapi/node/article", { cookie }));
    expect(response.status).toBe(504);
    expect(await json(response)).toEqual({ error: "upstream_timeout" });
    expect(Date.now() - started).toBeLessThan(1400);
    expect(setCookies(response)).toEqual([]);
    spy.respond((_request, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
    expect((await slowRoute.GET(proxyRequest("/jsonapi/node/article", { cookie }))).status).toBe(
      200,
    );
  });

  it("an unreachable upstream → 502 upstream_unreachable", async () => {
    const port = await freePort();
    const downRoute = createUpstreamRoute({
      getBff: () => bff,
      upstreamUrl: `http://127.0.0.1:${port}`,
    });
    const response = await downRoute.GET(proxyRequest("/jsonapi/node/article", { cookie }));
    expect(response.status).toBe(502);
    expect(await json(response)).toEqual({ error: "upstream_unreachable" });
    expect(setCookies(response)).toEqual([]);
    expect((await route.GET(proxyRequest("/jsonapi/node/article", { cookie }))).status).toBe(200);
  });

  it("an upstream that drops the connection → 502 upstream_unreachable", async () => {
    spy.respond((_request, res) => {
      res.socket?.destroy();
    });
    const response = await route.GET(proxyRequest("/jsonapi/node/article", { cookie }));
    expect(response.status).toBe(502);
    expect(await json(response)).toEqual({ error: "upstream_unreachable" });
  });

  it("streams the answer: the first chunk arrives before the upstream has finished", async () => {
    let finish: () => void = () => {};
    spy.respond((_request, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"data":[');
      finish = () => res.end("]}");
    });
    const response = await route.GET(proxyRequest("/jsonapi/node/article", { cookie }));
    const reader = response.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toBe('{"data":[');
    finish();
    const rest = await reader?.read();
    expect(new TextDecoder().decode(rest?.value)).toBe("]}");
  });

  it("a browser that cancels the body mid-stream closes the upstream response, no crash", async () => {
    let closed = false;
    spy.respond((_request, res) => {
      res.on("close", () => (closed = true));
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"data":[');
      const timer = setInterval(() => res.write("1,"), 5);
      res.on("close", () => clearInterval(timer));
    });
    const response = await route.GET(proxyRequest("/jsonapi/node/article", { cookie }));
    const reader = response.body?.getReader();
    await reader?.read();
    await reader?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closed).toBe(true);
  });

  it("a browser that goes away aborts the upstream request", async () => {
    let closed = false;
    spy.respond((_request, res) => {
      res.on("close", () => (closed = true));
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"data":[');
    });
    const controller = new AbortController();
    const response = await route.GET(
      proxyRequest("/jsonapi/node/article", { cookie, signal: controller.signal }),
    );
    expect(response.status).toBe(200);
    controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closed).toBe(true);
  });
});

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
      refresh: async ({ claims: current, reason }) => {
        calls.push(reason);
        return {
          claims: { ...current, accessToken: "fresh-token" },
          setCookies: [`${bff.cookieName}=new-value; Path=/; HttpOnly; SameSite=Lax`],
        };
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
      refresh: async ({ claims: current }) => {
        calls += 1;
        return { claims: { ...current, accessToken: "also-dead" }, setCookies: ["a=b"] };
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
    const refreshedRoute = createUpstreamRoute({ getBff: () => bff, refresh: async () => null });
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
      refresh: async ({ claims: current }) => {
        if (fail) throw new Error("token endpoint unreachable");
        return { claims: { ...current, accessToken: "fresh-token" }, setCookies: [] };
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
      refresh: async ({ claims: current, reason }) => {
        reasons.push(reason);
        return { claims: { ...current, accessToken: "fresh-token" }, setCookies: [] };
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
