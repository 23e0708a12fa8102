import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { loadBffConfig } from "../../src/lib/config/bff-config.js";
import { retriedCookieName, tokenFingerprint } from "../../src/lib/refresh/rejected-token.js";
import { type BffCore as Bff, createBffCore as createBff } from "../../src/lib/bff/bff.js";
import { createServerUpstream } from "../../src/lib/upstream/server-client.js";
import type { SessionClaims } from "../../src/lib/session/claims.js";
import { memoryEndedSessionStore } from "../../src/lib/session/ended-sessions.js";
import { sampleClaims } from "../helpers/claims.js";
import { startFakeUpstream } from "../helpers/fake-upstream.js";

// The render's cookies and Next's redirect, as a server component sees them.
const jar = new Map<string, string>();
vi.mock("next/headers", () => ({
  cookies: () =>
    Promise.resolve({
      getAll: () => [...jar].map(([name, value]) => ({ name, value })),
      get: (name: string) => (jar.has(name) ? { name, value: jar.get(name) } : undefined),
    }),
}));
class Redirect extends Error {
  constructor(readonly location: string) {
    super(`redirect ${location}`);
  }
}
vi.mock("next/navigation", () => ({
  redirect: (location: string) => {
    throw new Redirect(location);
  },
}));

const jsonApi = { "content-type": "application/vnd.api+json" };
let upstream: Awaited<ReturnType<typeof startFakeUpstream>>;
let bff: Bff;

beforeAll(async () => {
  upstream = await startFakeUpstream({
    "GET /jsonapi/node/article": (request) =>
      request.headers.authorization === "Bearer access-token-value"
        ? { headers: jsonApi, json: { data: [{ type: "node--article", id: "a1" }] } }
        : { status: 401, headers: jsonApi, json: { errors: [{ status: "401" }] } },
    "POST /jsonapi/node/article": () => ({
      status: 403,
      headers: jsonApi,
      json: {
        errors: [{ status: "403", detail: "The 'create article content' permission is required." }],
      },
    }),
    "POST /oauth/revoke": () => ({ status: 200 }),
  });
  bff = createBff({
    config: loadBffConfig({
      UPSTREAM_URL: upstream.url,
      UPSTREAM_CLIENT_ID: "c",
      UPSTREAM_CLIENT_SECRET: "s",
      NEXTAUTH_URL: "http://localhost:3000",
      NEXTAUTH_SECRET: "p".repeat(40),
    }),
    endedSessions: memoryEndedSessionStore(),
  });
});

afterAll(() => upstream.close());
beforeEach(() => {
  jar.clear();
  upstream.requests.length = 0;
});

async function signIn(claims: SessionClaims) {
  jar.set(bff.cookieName, await encode({ token: { ...claims }, secret: bff.config.secret }));
}

const client = () => createServerUpstream({ getBff: () => bff, callbackPath: "/articles?page=10" });
const redirectOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => (error instanceof Redirect ? error.location : error),
  );

describe("server upstream client", () => {
  it("B2 calls the upstream directly with the bearer token and nothing of the browser's", async () => {
    await signIn(sampleClaims({ accessToken: "access-token-value" }));
    const result = await (await client()).get("/jsonapi/node/article?page%5Blimit%5D=1");
    expect(result).toEqual({
      ok: true,
      status: 200,
      document: { data: [{ type: "node--article", id: "a1" }] },
    });
    const [seen] = upstream.requests;
    expect(seen?.headers.authorization).toBe("Bearer access-token-value");
    expect(seen?.headers.accept).toBe("application/vnd.api+json");
    expect(seen?.headers.cookie).toBeUndefined();
  });

  it("sends a signed-out render to /login with the page as callbackUrl", async () => {
    await expect(redirectOf(client())).resolves.toBe("/login?callbackUrl=%2Farticles%3Fpage%3D10");
  });

  it("sends an expired access token through the refresh route instead of refreshing in a render", async () => {
    await signIn(sampleClaims({ accessTokenExpiresAt: Date.now() - 1000 }));
    await expect(redirectOf(client())).resolves.toBe(
      "/api/session/refresh?callbackUrl=%2Farticles%3Fpage%3D10",
    );
    expect(upstream.requests).toHaveLength(0);
  });

  it("a refused token goes through the refresh route once; refused again, the session ends", async () => {
    const claims = sampleClaims({ accessToken: "revoked-token" });
    await signIn(claims);
    const first = await redirectOf((await client()).get("/jsonapi/node/article"));
    expect(first).toBe(
      `/api/session/refresh?callbackUrl=%2Farticles%3Fpage%3D10&rejected=${tokenFingerprint("revoked-token")}`,
    );
    // The refresh route marked this token as the one it just issued: no second round.
    jar.set(retriedCookieName(false), tokenFingerprint("revoked-token"));
    const second = await redirectOf((await client()).get("/jsonapi/node/article"));
    expect(second).toBe("/login?callbackUrl=%2Farticles%3Fpage%3D10");
    await expect(
      bff.endedSessions.isEnded({
        sessionId: claims.sessionId,
        sub: claims.user.sub,
        authTime: claims.authTime,
      }),
    ).resolves.toBe(true);
  });

  it("returns a 403 as a permission problem and keeps the session", async () => {
    await signIn(sampleClaims({ accessToken: "access-token-value" }));
    const result = await (
      await client()
    ).request("POST", "/jsonapi/node/article", {
      body: { data: { type: "node--article", attributes: { title: "x" } } },
    });
    expect(result).toMatchObject({
      ok: false,
      status: 403,
      problem: {
        kind: "forbidden",
        message: "The 'create article content' permission is required.",
      },
    });
    expect(upstream.requests[0]?.headers["content-type"]).toBe("application/vnd.api+json");
  });

  it("B1 refuses paths outside the allow-list before calling the upstream", async () => {
    await signIn(sampleClaims({ accessToken: "access-token-value" }));
    const upstreamClient = await client();
    for (const path of [
      "/oauth/token",
      "/jsonapi/%2e%2e/oauth/token",
      "//evil/jsonapi",
      "jsonapi/x",
    ]) {
      await expect(upstreamClient.get(path)).rejects.toThrow(/refused upstream path/);
    }
    expect(upstream.requests).toHaveLength(0);
    expect(upstreamClient.linkPath(`${upstream.url}/jsonapi/node/article?page%5Boffset%5D=5`)).toBe(
      "/jsonapi/node/article?page%5Boffset%5D=5",
    );
    expect(upstreamClient.linkPath("http://evil.example/jsonapi/node/article")).toBeNull();
  });
});
