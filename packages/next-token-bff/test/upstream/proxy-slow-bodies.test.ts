import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { BffCore as Bff } from "../../src/lib/bff/bff.js";
import { type UpstreamRoute, createUpstreamRoute } from "../../src/lib/upstream/upstream-route.js";
import { json, proxyRequest } from "./support/requests.js";
import { fakeClaims, sessionCookie, testBff } from "./support/sessions.js";
import { type SpyUpstream, startSpyUpstream } from "./support/spy-upstream.js";

/**
 * B10 slow uploads: a request body is read in full, within a deadline, before an upstream
 * connection is taken (408 `request_timeout` after it), and each session has a cap on its
 * proxied requests in flight: one over it waits a moment for a slot (100 ms here, 2 s by
 * default), then gets 429 `too_many_requests` with Retry-After. Against a spy upstream that
 * records every request that reaches it.
 */

let spy: SpyUpstream;
let bff: Bff;
let route: UpstreamRoute;
let cookie: string;
let otherCookie: string;

beforeAll(async () => {
  spy = await startSpyUpstream();
  bff = testBff(spy.url);
  route = createUpstreamRoute({
    getBff: () => bff,
    maxBodyBytes: 4096,
    bodyTimeoutMs: 300,
    maxConcurrentPerSession: 3,
    concurrencyWaitMs: 100,
    log: () => {},
  });
});
afterAll(async () => {
  await spy.close();
});
beforeEach(async () => {
  spy.reset();
  cookie = await sessionCookie(bff, fakeClaims());
  otherCookie = await sessionCookie(bff, fakeClaims());
});

const encoder = new TextEncoder();

/** A body that sends `parts`, one every `everyMs`, and never ends when `endless`. */
function trickle(parts: string[], everyMs: number, endless = false) {
  let cancelled = false;
  let index = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, everyMs));
      const part = parts[index];
      index += 1;
      if (part !== undefined) controller.enqueue(encoder.encode(part));
      else if (!endless) controller.close();
      else await new Promise(() => {}); // nothing more, ever
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, cancelled: () => cancelled };
}

const post = (body: BodyInit, sessionCookie = cookie) =>
  route.POST(
    proxyRequest("/jsonapi/node/article", {
      method: "POST",
      cookie: sessionCookie,
      body,
      headers: { "content-type": "application/vnd.api+json" },
    }),
  );

describe("B10 slow request bodies and the per-session cap", () => {
  it("B10 a body that has not arrived in full by the deadline → 408 request_timeout; the upstream never saw it", async () => {
    const body = trickle(['{"data":', '{"type":'], 50, true);
    const started = Date.now();
    const response = await post(body.stream);
    expect(response.status).toBe(408);
    expect(await json(response)).toEqual({ error: "request_timeout" });
    expect(response.headers.get("cache-control")).toContain("no-store");
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(body.cancelled()).toBe(true);
    // Not even the headers: no upstream connection was taken while the body trickled.
    expect(spy.started).toBe(0);
  });

  it("B10 a slow body that completes within the deadline arrives intact, with its length", async () => {
    const parts = ['{"data":', '{"type":"node--article",', '"attributes":{"title":"slow"}}}'];
    const response = await post(trickle(parts, 40).stream);
    expect(response.status).toBe(200);
    const [seen] = spy.dataRequests();
    expect(seen?.body.toString()).toBe(parts.join(""));
    expect(seen?.headers["content-length"]).toBe(String(parts.join("").length));
    expect(seen?.headers["transfer-encoding"]).toBeUndefined();
  });

  it("B10 a session over its cap of requests in flight → 429 too_many_requests with Retry-After; other sessions go on, and slots come back", async () => {
    const slow = [0, 1, 2].map(() => post(trickle(["{"], 50, true).stream));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const over = await post('{"data":{}}');
    expect(over.status).toBe(429);
    expect(await json(over)).toEqual({ error: "too_many_requests" });
    expect(over.headers.get("retry-after")).toBe("1");
    // Reads count too; another session is not affected.
    expect((await route.GET(proxyRequest("/jsonapi", { cookie }))).status).toBe(429);
    const other = await route.GET(proxyRequest("/jsonapi", { cookie: otherCookie }));
    expect(other.status).toBe(200);
    await other.text();

    expect((await Promise.all(slow)).map((response) => response.status)).toEqual([408, 408, 408]);
    const after = await route.GET(proxyRequest("/jsonapi", { cookie }));
    expect(after.status).toBe(200);
    await after.text();
    expect(spy.dataRequests().map((request) => request.method)).toEqual(["GET", "GET"]);
  });

  it("B10 a burst of quick reads over the cap waits for slots and goes through", async () => {
    const burst = await Promise.all(
      Array.from({ length: 20 }, () => route.GET(proxyRequest("/jsonapi", { cookie }))),
    );
    expect(burst.map((response) => response.status)).toEqual(Array<number>(20).fill(200));
    await Promise.all(burst.map((response) => response.text()));
    expect(spy.dataRequests()).toHaveLength(20);
  });

  it("B10 refusals before the session is known take no slot; finished and refused requests give theirs back", async () => {
    for (let i = 0; i < 10; i += 1) {
      const response = await route.GET(proxyRequest("/oauth/token", { cookie }));
      expect(response.status).toBeGreaterThanOrEqual(400);
      await response.text();
      const tooLarge = await post("x".repeat(5000));
      expect(tooLarge.status).toBe(413);
      const fine = await route.GET(proxyRequest("/jsonapi", { cookie }));
      expect(fine.status).toBe(200);
      await fine.text();
    }
  });
});
