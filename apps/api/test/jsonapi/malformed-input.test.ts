import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Fixture } from "./helpers.js";
import { JSONAPI, request, startFixture } from "./helpers.js";

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

const COLLECTION = "/jsonapi/node/article";

describe("E4 malformed input never yields a 5xx", () => {
  const urls = [
    "/jsonapi/node/article?%",
    "/jsonapi/node/article?%zz=1",
    "/jsonapi/node/article?filter[",
    "/jsonapi/node/article?filter]=1",
    "/jsonapi/node/article?[]=1",
    "/jsonapi/node/article?=1",
    "/jsonapi/node/article?&&&",
    "/jsonapi/node/article?filter[][]=1",
    "/jsonapi/node/article?filter[a][condition]=1",
    "/jsonapi/node/article?filter[a][group]=1",
    "/jsonapi/node/article?filter[a][group][conjunction][]=OR",
    "/jsonapi/node/article?filter[a][condition][path][]=title",
    "/jsonapi/node/article?filter[a][condition][value][x][y]=1",
    "/jsonapi/node/article?filter[a][condition][path]=title&filter[a][group][conjunction]=OR",
    "/jsonapi/node/article?filter[__proto__][x]=1",
    "/jsonapi/node/article?filter[constructor]=1",
    "/jsonapi/node/article?filter[toString]=1",
    "/jsonapi/node/article?sort[][path]=title",
    "/jsonapi/node/article?sort[a]=title",
    "/jsonapi/node/article?sort[a][path][]=title",
    "/jsonapi/node/article?sort=-",
    "/jsonapi/node/article?sort=--title",
    "/jsonapi/node/article?fields=title",
    "/jsonapi/node/article?fields[node--article][]=title",
    "/jsonapi/node/article?include[]=uid",
    "/jsonapi/node/article?include[a]=uid",
    "/jsonapi/node/article?page[limit]=1e309",
    "/jsonapi/node/article?page[offset]=Infinity",
    "/jsonapi/node/article?page[limit][]=1",
    "/jsonapi/node/article?filter[status]=%00",
    "/jsonapi/node/article?filter[title]=%F0%9F%98%80&sort=title",
    `/jsonapi/node/article?filter[title]=${"x".repeat(6000)}`,
    `/jsonapi/node/article?${Array.from({ length: 250 }, (_, i) => `filter[f${i}]=1`).join("&")}`,
    "/jsonapi/node/article/%00",
    "/jsonapi/node/article/..%2F..%2Fjsonapi",
    "/jsonapi/node/article/00000000-0000-0000-0000-000000000000/uid",
    "/jsonapi/node/article/00000000-0000-0000-0000-000000000000/relationships/uid",
    "/jsonapi/user/user?filter[roles]=administrator",
    "/jsonapi/user/user?sort=pass",
    "/jsonapi/user/user?include=roles",
    "/jsonapi/user/user/%20",
  ];
  it("GET variants", async () => {
    for (const url of urls) {
      for (const token of [undefined, f.tokens.bob, f.tokens.admin]) {
        const res = await f.get(url, token);
        expect({ url, status: res.status < 500 }).toEqual({ url, status: true });
        expect(res.headers.get("content-type")).toBe(JSONAPI);
      }
    }
  });

  const bodies = [
    '{"data":{"type":"node--article","attributes":{"title":"x","body":{"value":{"a":1}}}}}',
    '{"data":{"type":"node--article","attributes":{"title":"x","body":{"value":"v","summary":[]}}}}',
    '{"data":{"type":"node--article","attributes":{"title":"x","body":{"value":"v","extra":1}}}}',
    '{"data":{"type":"node--article","id":null,"attributes":{"title":"x"}}}',
    '{"data":{"type":"node--article","attributes":{"title":"x"},"relationships":{"uid":null}}}',
    '{"data":{"type":"node--article","attributes":{"title":"x"},"relationships":{"uid":{"data":{"type":"user--user","id":5}}}}}',
    '{"data":{"type":"node--article","attributes":{"title":"x"},"relationships":{"uid":{"data":[]}}}}',
    '{"__proto__":{"data":1}}',
    '{"data":{"type":"node--article","attributes":{"__proto__":{"title":"x"}}}}',
    '{"data":{"type":"node--article","attributes":{"constructor":1,"title":"x"}}}',
    '{"data":{"type":"node--article","attributes":{"title":"\\u0000"}}}',
    '{"data":{"type":"node--article","attributes":{"title":"x","created":"2020-13-45T99:99:99+00:00"}}}',
    '{"data":{"type":"node--article","attributes":{"title":"x","created":12345}}}',
    '{"data":{"type":"node--article","attributes":null}}',
    '{"data":{"type":["node--article"]}}',
    "null",
    "1e400",
    '{"data":{"type":"node--article","attributes":{"title":"x"}}} trailing',
    "\u0000",
  ];
  it("POST and PATCH bodies", async () => {
    const [id = ""] = f.articles("admin", true);
    for (const body of bodies) {
      for (const [method, path] of [
        ["POST", COLLECTION],
        ["PATCH", `${COLLECTION}/${id}`],
      ] as const) {
        const res = await request(f.api, method, path, {
          token: f.tokens.admin,
          headers: { "content-type": JSONAPI },
          body,
        });
        expect({ body, method, ok: res.status < 500 }).toEqual({ body, method, ok: true });
        expect(res.headers.get("content-type")).toBe(JSONAPI);
      }
    }
  });

  it("random bytes in paths and queries", async () => {
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const alphabet = "[]=&%?'\";-()*/\\aZ0 _.,@$#<>{}";
    for (let i = 0; i < 150; i++) {
      const length = 1 + (next() % 40);
      let query = "";
      for (let j = 0; j < length; j++) query += alphabet[next() % alphabet.length] ?? "";
      const res = await request(f.api, "GET", `${COLLECTION}?${encodeURI(query)}`, {
        token: f.tokens.bob,
      }).catch(() => undefined);
      if (!res) continue; // fetch itself refused the URL
      expect({ query, ok: res.status < 500 }).toEqual({ query, ok: true });
    }
  });

  it("an unknown article UUID in every method is 404, never 5xx", async () => {
    const id = randomUUID();
    for (const method of ["GET", "PATCH", "DELETE"]) {
      const res = await request(f.api, method, `${COLLECTION}/${id}`, {
        token: f.tokens.admin,
        headers: method === "PATCH" ? { "content-type": JSONAPI } : {},
        body: method === "PATCH" ? "{}" : undefined,
      });
      expect(res.status).toBe(404);
    }
  });
});
