import { describe, expect, it } from "vitest";
import { includedResource, omittedCount } from "../../src/lib/jsonapi/document.js";
import {
  jsonApiQuery,
  pageOffsetOfLink,
  proxyPathOfLink,
  upstreamPathOfLink,
} from "../../src/lib/jsonapi/links.js";
import { readUpstreamProblem } from "../../src/lib/jsonapi/problem.js";
import { rejectedRefreshPathFor, tokenFingerprint } from "../../src/lib/refresh/rejected-token.js";

const jsonApi = "application/vnd.api+json";

describe("readUpstreamProblem", () => {
  it("puts 422 messages beside their fields, without the property path", () => {
    const body = JSON.stringify({
      errors: [
        {
          title: "Unprocessable Content",
          status: "422",
          detail: "title: This value should not be null.",
          source: { pointer: "/data/attributes/title" },
        },
        { status: "422", detail: "uid: nope", source: { pointer: "/data/relationships/uid" } },
        { status: "422", detail: "Entity-level problem.", source: { pointer: "/data" } },
      ],
    });
    const problem = readUpstreamProblem(422, `${jsonApi}; charset=utf-8`, body);
    expect(problem.kind).toBe("validation");
    expect(problem.fieldErrors).toEqual({
      title: ["This value should not be null."],
      uid: ["nope"],
    });
    expect(problem.errors).toHaveLength(3);
  });

  it("reads a 403 document's detail as the message", () => {
    const body = JSON.stringify({
      errors: [{ status: "403", title: "Forbidden", detail: "The 'x' permission is required." }],
    });
    const problem = readUpstreamProblem(403, jsonApi, body);
    expect(problem).toMatchObject({
      kind: "forbidden",
      message: "The 'x' permission is required.",
    });
  });

  it("reads by content type: JSON errors, HTML as the status text, and never a 401 body", () => {
    expect(
      readUpstreamProblem(401, "application/json", '{"error":"session_expired"}'),
    ).toMatchObject({
      kind: "session_ended",
      code: "session_expired",
      message: "You are not signed in.",
    });
    expect(readUpstreamProblem(503, "application/json", '{"message":"down"}').message).toBe("down");
    const html = readUpstreamProblem(404, "text/html", "<h1>Not found</h1>");
    expect(html).toMatchObject({
      kind: "not_found",
      message: "It could not be found.",
      errors: [],
    });
    // A JSON:API-looking body under another content type is not trusted as JSON:API.
    const mislabelled = readUpstreamProblem(403, "text/plain", '{"errors":[{"detail":"x"}]}');
    expect(mislabelled.errors).toEqual([]);
  });
});

describe("links", () => {
  const base = "http://127.0.0.1:4000";
  const next = { href: `${base}/jsonapi/node/article?page%5Boffset%5D=10&page%5Blimit%5D=10` };

  it("maps an upstream link to its upstream path, and refuses anything else", () => {
    expect(upstreamPathOfLink(next, base)).toBe(
      "/jsonapi/node/article?page%5Boffset%5D=10&page%5Blimit%5D=10",
    );
    expect(upstreamPathOfLink("http://evil.example/jsonapi/node/article", base)).toBeNull();
    expect(upstreamPathOfLink(`${base}/oauth/token`, base)).toBeNull();
    expect(upstreamPathOfLink(`${base}/jsonapi/%2e%2e/oauth/token`, base)).toBeNull();
    expect(upstreamPathOfLink(`http://user@127.0.0.1:4000/jsonapi/x`, base)).toBeNull();
    expect(upstreamPathOfLink("not a url", base)).toBeNull();
    // A sub-path install keeps its prefix on the upstream and loses it in the path.
    expect(upstreamPathOfLink(`${base}/cms/jsonapi/node/article`, `${base}/cms/`)).toBe(
      "/jsonapi/node/article",
    );
    expect(upstreamPathOfLink(`${base}/jsonapi/node/article`, `${base}/cms`)).toBeNull();
  });

  it("gives browser code a path under the proxy mount", () => {
    expect(proxyPathOfLink(next)).toBe(
      "/api/upstream/jsonapi/node/article?page%5Boffset%5D=10&page%5Blimit%5D=10",
    );
    expect(proxyPathOfLink(`${base}/oauth/token`)).toBeNull();
  });

  it("keeps only a numeric page offset as a page cursor", () => {
    expect(pageOffsetOfLink(next)).toBe(10);
    expect(pageOffsetOfLink(`${base}/jsonapi/x?page[offset]=-1`)).toBeNull();
    expect(pageOffsetOfLink(`${base}/jsonapi/x?page[offset]=http://evil`)).toBeNull();
    expect(pageOffsetOfLink(undefined)).toBeNull();
  });

  it("builds bracketed query strings", () => {
    expect(jsonApiQuery({ "page[limit]": 10, include: "uid", skip: undefined })).toBe(
      "?page%5Blimit%5D=10&include=uid",
    );
    expect(jsonApiQuery({})).toBe("");
  });
});

describe("documents", () => {
  it("finds included resources and counts omitted items (ignoring `help`)", () => {
    const document = {
      included: [{ type: "user--user", id: "u1", attributes: { display_name: "Alice" } }],
      meta: {
        omitted: {
          links: { help: { href: "h" }, "item--abc": { href: "a" }, "item--def": { href: "b" } },
        },
      },
    };
    const relationship = { data: { type: "user--user", id: "u1" } };
    expect(includedResource(document, relationship)?.attributes).toEqual({ display_name: "Alice" });
    expect(includedResource(document, { data: null })).toBeUndefined();
    expect(omittedCount(document)).toBe(2);
    expect(omittedCount({})).toBe(0);
  });
});

describe("rejected-token refresh path", () => {
  it("names the token by a fingerprint, never the token, and keeps the callback same-origin", () => {
    const path = rejectedRefreshPathFor("/api/session/refresh", "//evil.example", "secret-token");
    expect(path).toBe(
      `/api/session/refresh?callbackUrl=%2F&rejected=${tokenFingerprint("secret-token")}`,
    );
    expect(path).not.toContain("secret-token");
    expect(tokenFingerprint("a")).not.toBe(tokenFingerprint("b"));
  });
});
