import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BffCore as Bff } from "../../src/lib/bff/bff.js";
import type { SessionClaims } from "../../src/lib/session/claims.js";
import { createUpstreamRoute } from "../../src/lib/upstream/upstream-route.js";
import type { UpstreamRoute } from "../../src/lib/upstream/upstream-route.js";
import { type ReferenceApi, startReferenceApi } from "./support/reference-api.js";
import { json, proxyRequest, setCookies } from "./support/requests.js";
import { sessionCookie, signIn, testBff } from "./support/sessions.js";
import { ifStarted } from "../../../../test-support/hooks.js";

/**
 * The proxy route against the real reference API (a child process on a free loopback port,
 * a fresh SQLite file, demo data), with sessions from real password-grant sign-ins.
 */

interface JsonApiResource {
  id: string;
  type: string;
  attributes: Record<string, unknown>;
}
interface JsonApiDocument {
  data?: JsonApiResource | JsonApiResource[];
  errors?: Array<{
    status: string;
    title?: string;
    detail?: string;
    source?: { pointer?: string };
  }>;
}

let api: ReferenceApi;
let bff: Bff;
let route: UpstreamRoute;
let alice: { claims: SessionClaims; cookie: string };
let bob: { claims: SessionClaims; cookie: string };

async function session(username: string) {
  const claims = await signIn(bff, username, `${username}-password`);
  return { claims, cookie: await sessionCookie(bff, claims) };
}

const jsonApi = { "content-type": "application/vnd.api+json" };
const doc = async (response: Response) => (await json(response)) as JsonApiDocument;

beforeAll(async () => {
  api = await startReferenceApi();
  bff = testBff(api.url, { UPSTREAM_SCOPE: "reader editor administrator" });
  route = createUpstreamRoute({ getBff: () => bff });
  alice = await session("alice");
  bob = await session("bob");
}, 60_000);

afterAll(async () => {
  await ifStarted(api)?.stop();
});

describe("through the proxy to the reference API", () => {
  it("GET lists articles as JSON:API, with no-store and nosniff", async () => {
    const response = await route.GET(
      proxyRequest("/jsonapi/node/article?page[limit]=2&sort=-created", { cookie: alice.cookie }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/vnd.api+json");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(setCookies(response)).toEqual([]);
    const body = await doc(response);
    expect(Array.isArray(body.data)).toBe(true);
    expect(body.data).toHaveLength(2);
  });

  it("GET of the entry point /jsonapi works; HEAD answers without a body", async () => {
    const entry = await route.GET(proxyRequest("/jsonapi", { cookie: bob.cookie }));
    expect(entry.status).toBe(200);
    await entry.body?.cancel();
    const head = await route.HEAD(
      proxyRequest("/jsonapi/node/article", { method: "HEAD", cookie: bob.cookie }),
    );
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
  });

  it("alice creates, edits and deletes an article", async () => {
    const created = await route.POST(
      proxyRequest("/jsonapi/node/article", {
        method: "POST",
        cookie: alice.cookie,
        headers: jsonApi,
        body: JSON.stringify({
          data: { type: "node--article", attributes: { title: "Through the proxy" } },
        }),
      }),
    );
    expect(created.status).toBe(201);
    // The upstream's absolute Location would name the upstream host: not passed on.
    expect(created.headers.get("location")).toBeNull();
    const article = (await doc(created)).data as JsonApiResource;
    expect(article.attributes.title).toBe("Through the proxy");

    const edited = await route.PATCH(
      proxyRequest(`/jsonapi/node/article/${article.id}`, {
        method: "PATCH",
        cookie: alice.cookie,
        headers: jsonApi,
        body: JSON.stringify({
          data: { type: "node--article", id: article.id, attributes: { title: "Edited" } },
        }),
      }),
    );
    expect(edited.status).toBe(200);
    expect(((await doc(edited)).data as JsonApiResource).attributes.title).toBe("Edited");

    const read = await route.GET(
      proxyRequest(`/jsonapi/node/article/${article.id}`, { cookie: bob.cookie }),
    );
    expect(read.status).toBe(200);
    expect(((await doc(read)).data as JsonApiResource).attributes.title).toBe("Edited");

    const deleted = await route.DELETE(
      proxyRequest(`/jsonapi/node/article/${article.id}`, {
        method: "DELETE",
        cookie: alice.cookie,
      }),
    );
    expect(deleted.status).toBe(204);
    const gone = await route.GET(
      proxyRequest(`/jsonapi/node/article/${article.id}`, { cookie: alice.cookie }),
    );
    expect(gone.status).toBe(404);
    expect((await doc(gone)).errors?.[0]?.status).toBe("404");
  });

  it("a validation error (422) is passed through with its pointer", async () => {
    const response = await route.POST(
      proxyRequest("/jsonapi/node/article", {
        method: "POST",
        cookie: alice.cookie,
        headers: jsonApi,
        body: JSON.stringify({ data: { type: "node--article", attributes: { title: "" } } }),
      }),
    );
    expect(response.status).toBe(422);
    expect((await doc(response)).errors?.[0]?.source?.pointer).toMatch(
      /^\/data\/attributes\/title/,
    );
  });

  it("B7 bob's write gets the API's 403 document, and bob stays signed in", async () => {
    const response = await route.POST(
      proxyRequest("/jsonapi/node/article", {
        method: "POST",
        cookie: bob.cookie,
        headers: jsonApi,
        body: JSON.stringify({ data: { type: "node--article", attributes: { title: "Bob's" } } }),
      }),
    );
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toBe("application/vnd.api+json");
    expect((await doc(response)).errors?.[0]?.status).toBe("403");
    expect(setCookies(response)).toEqual([]);
    const after = await route.GET(
      proxyRequest("/jsonapi/node/article?page[limit]=1", { cookie: bob.cookie }),
    );
    expect(after.status).toBe(200);
    await after.body?.cancel();
  });

  it("no session → 401 not_signed_in", async () => {
    const response = await route.GET(proxyRequest("/jsonapi/node/article"));
    expect(response.status).toBe(401);
    expect(await json(response)).toEqual({ error: "not_signed_in" });
  });

  it("A11 B7 revoked upstream tokens: 401 session_expired, cookie cleared, refresh token revoked, cookie refused after", async () => {
    const victim = await session("alice");
    const before = await route.GET(
      proxyRequest("/jsonapi/node/article?page[limit]=1", { cookie: victim.cookie }),
    );
    expect(before.status).toBe(200);
    await before.body?.cancel();

    // Revoke only the access token upstream (RFC 7009): the API now answers 401 to it.
    const revoked = await fetch(`${api.url}/oauth/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        token: victim.claims.accessToken,
        token_type_hint: "access_token",
        client_id: "next-web",
        client_secret: "next-web-secret",
      }),
    });
    expect(revoked.status).toBe(200);

    const response = await route.GET(
      proxyRequest("/jsonapi/node/article?page[limit]=1", { cookie: victim.cookie }),
    );
    expect(response.status).toBe(401);
    expect(await json(response)).toEqual({ error: "session_expired" });
    expect(setCookies(response)).toEqual([
      `${bff.cookieName}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; SameSite=Lax`,
    ]);

    // Ending the session revoked its refresh token at the API too.
    const refresh = await fetch(`${api.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: victim.claims.refreshToken,
        client_id: "next-web",
        client_secret: "next-web-secret",
      }),
    });
    expect(refresh.status).toBe(400);
    await refresh.body?.cancel();

    const again = await route.GET(proxyRequest("/jsonapi/node/article", { cookie: victim.cookie }));
    expect(again.status).toBe(401);
    expect(await json(again)).toEqual({ error: "session_expired" });

    // Other sessions of the same person are untouched.
    const other = await route.GET(
      proxyRequest("/jsonapi/node/article?page[limit]=1", { cookie: alice.cookie }),
    );
    expect(other.status).toBe(200);
    await other.body?.cancel();
  });

  it("B1 refuses traversal to the token endpoint and never calls it", async () => {
    for (const [path, status] of [
      ["/jsonapi/..%2foauth%2ftoken", 400],
      // Resolved by the URL parser to /oauth/token: well-formed, outside the prefixes.
      ["/jsonapi/%2e%2e/oauth/token", 404],
      ["/oauth/token", 404],
    ] as const) {
      const response = await route.POST(
        proxyRequest(path, {
          method: "POST",
          cookie: alice.cookie,
          headers: jsonApi,
          body: "{}",
        }),
      );
      expect(response.status).toBe(status);
    }
  });
});
