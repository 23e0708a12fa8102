import { describe, expect, it } from "vitest";
import { createUpstreamRoute } from "../../src/lib/upstream/upstream-route.js";
import { attacker, bff, cookie, route, spy, useRefusalSetup } from "./support/refusals.js";
import { json, proxyRequest } from "./support/requests.js";

/**
 * The proxy route against a spy upstream that records every request: the refusals of issue 4
 * that look at the request line (catalogue B3 CSRF, B1 paths, B8 methods), each checked for its
 * status AND for what reached the upstream.
 */

useRefusalSetup();

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
    "/jsonapi/..",
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

  it.each([
    "/oauth/token",
    "/user/login",
    "/jsonapix/node",
    "/JSONAPI/node/article",
    // The URL parser resolves dot segments (also %2e) before the route sees the path.
    "/jsonapi/%2e%2e/oauth/token",
    "/jsonapi/.%2e/oauth/token",
    "/jsonapi/../oauth/token",
  ])(
    "%s (well-formed, outside the allowed prefixes) → 404 path_not_allowed, nothing upstream",
    async (path) => {
      const response = await route.GET(proxyRequest(path, { cookie }));
      expect(response.status).toBe(404);
      expect(await json(response)).toEqual({ error: "path_not_allowed" });
      expect(spy.started).toBe(0);
      expect(attacker.started).toBe(0);
    },
  );

  it("logs which prefixes are allowed when it refuses a path", async () => {
    const logged: Array<[string, unknown]> = [];
    const logging = createUpstreamRoute({
      getBff: () => bff,
      log: (message, error) => logged.push([message, error]),
    });
    expect((await logging.GET(proxyRequest("/api/v2/items", { cookie }))).status).toBe(404);
    expect(logged).toHaveLength(1);
    expect((logged[0]?.[1] as Error).message).toContain(
      "/api/v2/items is under none of the allowed prefixes (UPSTREAM_PATHS): /jsonapi/",
    );
    expect(spy.started).toBe(0);
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
    expect((await based.GET(proxyRequest("/jsonapi/user/user", { cookie }))).status).toBe(404);
    expect(spy.requests.map((r) => r.url)).toEqual(["/drupal/jsonapi/node/article"]);
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
