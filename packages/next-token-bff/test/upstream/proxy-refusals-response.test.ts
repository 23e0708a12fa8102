import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { createUpstreamRoute } from "../../src/lib/upstream/upstream-route.js";
import { attacker, bff, cookie, route, spy, useRefusalSetup } from "./support/refusals.js";
import { json, proxyRequest, setCookies } from "./support/requests.js";

/**
 * The proxy route against a spy upstream that records every request: what the proxy does with
 * the upstream's answer and with an upstream that fails (catalogue B2 B4 B5 B6 B11 response
 * headers and content types, B10 upstream failures).
 */

useRefusalSetup();

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

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
