import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawBytesRequest } from "../helpers/raw-http.js";
import { startTestApi, type TestApi } from "../helpers/test-api.js";
import { ifStarted } from "../../../../test-support/hooks.js";

/**
 * Requests Node's HTTP parser refuses before Fastify routes them still get the endpoint's own
 * error format (src/http/client-error.ts), not Fastify's generic JSON.
 */
let api: TestApi;
let five: TestApi;
beforeAll(async () => {
  [api, five] = await Promise.all([startTestApi(), startTestApi({ API_COMPAT: "5" })]);
});
afterAll(async () => {
  await Promise.all([ifStarted(api)?.close(), ifStarted(five)?.close()]);
});

function send(target: TestApi, head: string) {
  return rawBytesRequest(target.url, Buffer.from(`${head}\r\n\r\n`, "latin1"));
}

describe("answers to requests the HTTP parser refuses", () => {
  it("a non-ASCII byte in a JSON:API request target: 400 JSON:API error document, connection closed", async () => {
    const response = await send(
      api,
      "GET /jsonapi/node/article?filter[title]=\xff HTTP/1.1\r\nHost: a",
    );
    expect(response.status).toBe(400);
    expect(response.headers["content-type"]).toBe("application/vnd.api+json");
    expect(response.headers.connection).toBe("close");
    expect(JSON.parse(response.body)).toMatchObject({
      jsonapi: { version: "1.0" },
      errors: [{ status: "400", title: "Bad Request" }],
    });
  });

  it("below /oauth/: OAuth error JSON (with league 8's message in 5.x mode)", async () => {
    const head = "POST /oauth/token?x=\x01 HTTP/1.1\r\nHost: a\r\nContent-Length: 0";
    const six = await send(api, head);
    expect(six.status).toBe(400);
    expect(six.headers["content-type"]).toBe("application/json; charset=UTF-8");
    expect(six.headers["cache-control"]).toBe("no-store");
    expect(JSON.parse(six.body)).toStrictEqual({
      error: "invalid_request",
      error_description:
        "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.",
      hint: "The request could not be parsed as HTTP.",
    });
    const answer = JSON.parse((await send(five, head)).body) as Record<string, unknown>;
    expect(answer.message).toBe(answer.error_description);
  });

  it("headers over Node's size limit: 431 in the endpoint's format", async () => {
    const big = `X-Big: ${"a".repeat(20_000)}`;
    const jsonapi = await send(api, `GET /jsonapi HTTP/1.1\r\nHost: a\r\n${big}`);
    expect(jsonapi.status).toBe(431);
    expect(JSON.parse(jsonapi.body)).toMatchObject({
      errors: [{ status: "431", title: "Request Header Fields Too Large" }],
    });
    const oauth = await send(api, `GET /oauth/userinfo HTTP/1.1\r\nHost: a\r\n${big}`);
    expect(oauth.status).toBe(431);
    expect(JSON.parse(oauth.body)).toMatchObject({ error: "invalid_request" });
  });
});
