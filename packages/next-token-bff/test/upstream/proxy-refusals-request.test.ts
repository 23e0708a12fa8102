import { describe, expect, it } from "vitest";
import { claims, cookie, route, spy, useRefusalSetup } from "./support/refusals.js";
import { json, proxyRequest } from "./support/requests.js";

/**
 * The proxy route against a spy upstream that records every request: the refusals of issue 4
 * that look at what the browser sends along (catalogue B2 A15 request headers, B10 B3 request
 * bodies), each checked for its status AND for what reached the upstream.
 */

useRefusalSetup();

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

  it("a body shorter than its Content-Length (Next's cut copy in proxy.ts) → 400, never forwarded", async () => {
    const cut = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"data":'));
        controller.close();
      },
    });
    const response = await post(cut, { "content-length": "900" });
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({ error: "bad_request" });
    expect(spy.started).toBe(0);
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
