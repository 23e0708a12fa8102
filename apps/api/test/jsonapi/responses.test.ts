import { randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Fixture } from "./helpers.js";
import { firstError, JSONAPI, request, startFixture } from "./helpers.js";

// D8: the methods the JSON:API routes answer and the headers of every response.
let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

const COLLECTION = "/jsonapi/node/article";

describe("D8 405 unsupported methods, with Allow", () => {
  it.each([
    ["PUT", COLLECTION, "GET, POST"],
    ["PATCH", COLLECTION, "GET, POST"],
    ["DELETE", COLLECTION, "GET, POST"],
    ["POST", `${COLLECTION}/${randomUUID()}`, "GET, PATCH, DELETE"],
    ["PUT", `${COLLECTION}/${randomUUID()}`, "GET, PATCH, DELETE"],
    ["POST", "/jsonapi", "GET"],
    ["DELETE", "/jsonapi", "GET"],
    ["POST", "/jsonapi/user/user", "GET"],
    ["PATCH", `/jsonapi/user/user/${randomUUID()}`, "GET"],
    ["DELETE", `/jsonapi/user/user/${randomUUID()}`, "GET"],
    ["OPTIONS", COLLECTION, "GET, POST"],
  ])("%s %s → 405 Allow: %s", async (method, path, allow) => {
    const res = await request(f.api, method, path, {
      token: f.tokens.admin,
      headers: { "content-type": JSONAPI },
      body: method === "OPTIONS" ? undefined : "{}",
    });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe(allow);
    expect(res.headers.get("content-type")).toBe(JSONAPI);
    expect(firstError(res).detail).toBe(
      `No route found for "${method} ${f.api.url}${path}": Method Not Allowed (Allow: ${allow})`,
    );
  });
});

describe("D8 responses", () => {
  it("every JSON:API response carries nosniff and the bare media type", async () => {
    for (const res of [
      await f.get("/jsonapi"),
      await f.get(COLLECTION, f.tokens.alice),
      await f.get(COLLECTION),
      await f.get(`${COLLECTION}?foo=1`, f.tokens.alice),
    ]) {
      expect(res.headers.get("content-type")).toBe(JSONAPI);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  it("406 when every JSON:API media type in Accept carries parameters; plain Accept is fine", async () => {
    const bad = await f.get(COLLECTION, f.tokens.alice, {
      accept: 'application/vnd.api+json; ext="x", application/vnd.api+json; profile="y"',
    });
    expect(bad.status).toBe(406);
    for (const accept of [
      "application/vnd.api+json",
      "*/*",
      "application/json",
      "application/vnd.api+json; q=0.9",
    ]) {
      expect((await f.get(COLLECTION, f.tokens.alice, { accept })).status).toBe(200);
    }
  });

  it("links use the request's Host", async () => {
    // fetch may not set Host; use node:http.
    const port = new URL(f.api.url).port;
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        { host: "127.0.0.1", port, path: "/jsonapi", headers: { host: "cms.example.test" } },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (text += chunk));
          res.on("end", () => resolve(text));
        },
      );
      req.on("error", reject);
      req.end();
    });
    const doc = JSON.parse(body) as { links: Record<string, { href: string }> };
    expect(doc.links.self?.href).toBe("http://cms.example.test/jsonapi");
    expect(doc.links["node--article"]?.href).toBe("http://cms.example.test/jsonapi/node/article");
  });
});
