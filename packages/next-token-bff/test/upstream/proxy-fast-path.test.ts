import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { answersInProxy } from "../../src/lib/upstream/proxy-fast-path.js";

const at = (path: string, init: RequestInit = {}) => new Request(`http://app.test${path}`, init);
const MiB = 1024 * 1024;

describe("answersInProxy: which requests proxy.ts answers with the upstream route", () => {
  it("takes reads and bodiless requests under the mount path", () => {
    expect(answersInProxy(at("/api/upstream/jsonapi/node/article?page[limit]=2"))).toBe(true);
    expect(answersInProxy(at("/api/upstream/jsonapi", { method: "HEAD" }))).toBe(true);
    expect(answersInProxy(at("/api/upstream/jsonapi/x", { method: "DELETE" }))).toBe(true);
    expect(answersInProxy(at("/bff/jsonapi"), "/bff/")).toBe(true);
  });

  it("takes writes that declare a length within the limit", () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      const headers = { "content-length": "2048" };
      expect(answersInProxy(at("/api/upstream/jsonapi/node/article", { method, headers }))).toBe(
        true,
      );
    }
    const exactly = { method: "POST", headers: { "content-length": String(MiB) } };
    expect(answersInProxy(at("/api/upstream/jsonapi", exactly))).toBe(true);
    expect(answersInProxy(at("/api/upstream/jsonapi", exactly), "/api/upstream", MiB - 1)).toBe(
      false,
    );
  });

  it("leaves chunked bodies and bodies over the limit to the route handler", () => {
    const post = (headers: Record<string, string>) =>
      answersInProxy(at("/api/upstream/jsonapi", { method: "POST", headers }));
    expect(post({ "transfer-encoding": "chunked" })).toBe(false);
    expect(post({ "content-length": "10", "transfer-encoding": "chunked" })).toBe(false);
    expect(post({ "content-length": String(MiB + 1) })).toBe(false);
    expect(post({ "content-length": "12582912" })).toBe(false);
    expect(post({ "content-length": "1e3" })).toBe(false);
    expect(post({ "content-length": "99999999999999999999" })).toBe(false);
  });

  it("matches the mount path only at the start of the path, as a whole segment", () => {
    expect(answersInProxy(at("/api/upstream"))).toBe(false);
    expect(answersInProxy(at("/api/upstreamer/jsonapi"))).toBe(false);
    expect(answersInProxy(at("/x/api/upstream/jsonapi"))).toBe(false);
    expect(answersInProxy(at("/login?next=/api/upstream/jsonapi"))).toBe(false);
  });

  it("never takes a body it could receive cut (10,000 generated requests)", () => {
    const lengthHeader = fc.oneof(
      fc.nat({ max: 3 * MiB }).map(String),
      fc.stringMatching(/^[0-9 +.e-]{0,22}$/),
    );
    fc.assert(
      fc.property(
        fc.option(lengthHeader, { nil: undefined }),
        fc.option(fc.constantFrom("chunked", "gzip, chunked", "identity"), { nil: undefined }),
        fc.integer({ min: 0, max: 2 * MiB }),
        (length, encoding, limit) => {
          const headers = new Headers();
          if (length !== undefined) headers.set("content-length", length);
          if (encoding !== undefined) headers.set("transfer-encoding", encoding);
          const request = at("/api/upstream/jsonapi", { method: "POST", headers });
          const taken = answersInProxy(request, "/api/upstream", limit);
          const declared = headers.get("content-length");
          const expected =
            encoding === undefined &&
            (declared === null || (/^\d+$/.test(declared) && Number(declared) <= limit));
          expect(taken).toBe(expected);
        },
      ),
      { numRuns: 10_000 },
    );
  });
});
