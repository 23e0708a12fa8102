import { describe, expect, it } from "vitest";
import { answersInProxy } from "../../src/lib/upstream/proxy-fast-path.js";

const at = (path: string, init: RequestInit = {}) => new Request(`http://app.test${path}`, init);

describe("answersInProxy: which requests proxy.ts answers with the upstream route", () => {
  it("takes reads under the mount path", () => {
    expect(answersInProxy(at("/api/upstream/jsonapi/node/article?page[limit]=2"))).toBe(true);
    expect(answersInProxy(at("/api/upstream/jsonapi", { method: "HEAD" }))).toBe(true);
    expect(answersInProxy(at("/bff/jsonapi"), "/bff/")).toBe(true);
  });

  it("leaves requests with a body to the route handler (Next cuts proxy bodies at 10 MiB)", () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"]) {
      expect(answersInProxy(at("/api/upstream/jsonapi/node/article", { method }))).toBe(false);
    }
    expect(
      answersInProxy(at("/api/upstream/jsonapi", { headers: { "content-length": "0" } })),
    ).toBe(false);
    expect(
      answersInProxy(at("/api/upstream/jsonapi", { headers: { "transfer-encoding": "chunked" } })),
    ).toBe(false);
  });

  it("matches the mount path only at the start of the path, as a whole segment", () => {
    expect(answersInProxy(at("/api/upstream"))).toBe(false);
    expect(answersInProxy(at("/api/upstreamer/jsonapi"))).toBe(false);
    expect(answersInProxy(at("/x/api/upstream/jsonapi"))).toBe(false);
    expect(answersInProxy(at("/login?next=/api/upstream/jsonapi"))).toBe(false);
  });
});
