import { beforeAll, describe, expect, it } from "vitest";
import { demoUsers, testServers } from "./support/context";
import { type CookieJar, signInOverHttp } from "./support/refresh-servers";

/**
 * Reads of `/api/upstream/…` are answered in proxy.ts by the upstream route's own handler, and
 * so are writes with a declared body within the limit (upstream-writes-in-proxy.test.ts);
 * chunked and larger bodies go on to the route handler. Every guarantee of the proxy must hold
 * on both paths, over real HTTP against `next start` and the reference API.
 */
const { webUrl } = testServers();
const articles = "/api/upstream/jsonapi/node/article?page[limit]=2";
let jar: CookieJar;

beforeAll(async () => {
  jar = await signInOverHttp(webUrl, demoUsers.alice.username, demoUsers.alice.password);
});

function get(path: string, headers: Record<string, string> = {}, method = "GET") {
  return fetch(`${webUrl}${path}`, {
    method,
    headers: { cookie: jar.header(), "x-csrf": "1", ...headers },
    redirect: "manual",
  });
}

const errorOf = async (response: Response) => ((await response.json()) as { error?: string }).error;

function expectProtective(response: Response) {
  expect(response.headers.get("cache-control")).toBe("no-store");
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("content-security-policy")).toContain("sandbox");
  const names = [...response.headers.keys()];
  // Nothing internal leaks: no rewrite target, no upstream cookie or server header.
  expect(names.filter((name) => name.startsWith("x-middleware"))).toEqual([]);
  expect(names).not.toContain("set-cookie");
  expect(names).not.toContain("server");
}

describe("upstream reads answered in proxy.ts", () => {
  it("GET: 200 JSON:API with the protective headers and no internal header", async () => {
    const response = await get(articles);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/vnd.api+json");
    expectProtective(response);
    const body = (await response.json()) as { data?: unknown[] };
    expect(body.data).toHaveLength(2);
  });

  it("HEAD: 200 without a body", async () => {
    const response = await get(articles, {}, "HEAD");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
  });

  it("refuses without X-CSRF, without a session, and outside the path allow-list", async () => {
    const noCsrf = await fetch(`${webUrl}${articles}`, { headers: { cookie: jar.header() } });
    expect([noCsrf.status, await errorOf(noCsrf)]).toEqual([403, "csrf"]);
    const signedOut = await fetch(`${webUrl}${articles}`, { headers: { "x-csrf": "1" } });
    expect([signedOut.status, await errorOf(signedOut)]).toEqual([401, "not_signed_in"]);
    for (const path of [
      "/api/upstream/jsonapi/..%2Foauth/token",
      "/api/upstream/jsonapi/node%2Farticle",
    ]) {
      const response = await get(path);
      expect([path, response.status, await errorOf(response)]).toEqual([path, 400, "bad_path"]);
    }
    // Well-formed but outside UPSTREAM_PATHS (here the default /jsonapi/).
    const outside = await get("/api/upstream/oauth/token");
    expect([outside.status, await errorOf(outside)]).toEqual([404, "path_not_allowed"]);
  });

  it("forwards only allow-listed request headers (a forged bearer is never used)", async () => {
    const response = await get(articles, {
      authorization: "Bearer forged",
      "x-forwarded-host": "evil",
    });
    expect(response.status).toBe(200);
  });
});

describe("requests with a body", () => {
  it("POST with another media type: 415; without X-CSRF or from another origin: 403", async () => {
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${webUrl}/api/upstream/jsonapi/node/article`, {
        method: "POST",
        headers: { cookie: jar.header(), "x-csrf": "1", origin: webUrl, ...headers },
        body,
      });
    const text = await post({ "content-type": "text/plain" }, "hello");
    expect([text.status, await errorOf(text)]).toEqual([415, "unsupported_media_type"]);
    const foreign = await post(
      { "content-type": "application/vnd.api+json", origin: "http://evil.test" },
      "{}",
    );
    expect([foreign.status, await errorOf(foreign)]).toEqual([403, "csrf"]);
  });

  it("413 above the body limit, also for bodies beyond Next's 10 MiB proxy copy", async () => {
    for (const size of [1024 * 1024 + 1, 12 * 1024 * 1024]) {
      const response = await fetch(`${webUrl}/api/upstream/jsonapi/node/article`, {
        method: "POST",
        headers: {
          cookie: jar.header(),
          "x-csrf": "1",
          origin: webUrl,
          "content-type": "application/vnd.api+json",
        },
        body: "x".repeat(size),
      });
      expect([size, response.status, await errorOf(response)]).toEqual([
        size,
        413,
        "body_too_large",
      ]);
    }
    // The same without a Content-Length (chunked): counted while streaming, refused at 1 MiB.
    const chunk = new Uint8Array(64 * 1024).fill(120);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 12 * 1024 * 1024) controller.close();
        else {
          sent += chunk.length;
          controller.enqueue(chunk);
        }
      },
    });
    const chunked = await fetch(`${webUrl}/api/upstream/jsonapi/node/article`, {
      method: "POST",
      headers: {
        cookie: jar.header(),
        "x-csrf": "1",
        origin: webUrl,
        "content-type": "application/vnd.api+json",
      },
      body,
      duplex: "half",
    } as RequestInit & { duplex: "half" });
    expect([chunked.status, await errorOf(chunked)]).toEqual([413, "body_too_large"]);
  });
});
