import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Bff, createBff } from "../../src/lib/bff/create-bff.js";
import { ifStarted } from "../../../../test-support/hooks.js";
import { type ReferenceApi, startReferenceApi } from "./support/reference-api.js";
import { APP_ORIGIN, TEST_SECRET, sessionCookie, signIn, testBff } from "./support/sessions.js";

/**
 * Writes with a body answered by `bff.proxy` (when an app's `proxy.ts` matcher lets them in)
 * against the same writes answered by the catch-all route handler, in front of the real
 * reference API: every answer must be the same, refusals included. `proxy` hands a request it
 * does not answer on (`x-middleware-next`), and the route handler answers it then.
 */
let api: ReferenceApi;
let bff: Bff;
let signInCore: ReturnType<typeof testBff>;

const env = {
  UPSTREAM_CLIENT_ID: "next-web",
  UPSTREAM_CLIENT_SECRET: "next-web-secret",
  UPSTREAM_SCOPE: "reader editor administrator",
  NEXTAUTH_URL: APP_ORIGIN,
  NEXTAUTH_SECRET: TEST_SECRET,
};

beforeAll(async () => {
  api = await startReferenceApi({ REFRESH_REUSE_INTERVAL: "0" });
  bff = createBff({
    env: { ...env, UPSTREAM_URL: api.url },
    logger: { info() {}, warn() {}, error() {} },
  });
  signInCore = testBff(api.url, { UPSTREAM_SCOPE: env.UPSTREAM_SCOPE });
}, 60_000);

afterAll(async () => {
  await ifStarted(api)?.stop();
});

async function aliceCookie(accessTokenExpiresAt?: number) {
  const claims = await signIn(signInCore, "alice", "alice-password");
  if (accessTokenExpiresAt !== undefined) claims.accessTokenExpiresAt = accessTokenExpiresAt;
  return { claims, cookie: await sessionCookie(signInCore, claims) };
}

const article = (title: string) =>
  JSON.stringify({
    data: {
      type: "node--article",
      attributes: { title, body: { value: "w".repeat(1900), format: "plain_text" } },
    },
  });

interface Write {
  path?: string;
  headers?: Record<string, string>;
  body?: () => BodyInit;
}

type Init = NonNullable<ConstructorParameters<typeof NextRequest>[1]>;

function requestFor(cookie: string, write: Write): Init {
  const headers = new Headers({
    cookie,
    "x-csrf": "1",
    origin: APP_ORIGIN,
    "content-type": "application/vnd.api+json",
  });
  for (const [name, value] of Object.entries(write.headers ?? {})) {
    if (value === "") headers.delete(name);
    else headers.set(name, value);
  }
  const body = write.body?.() ?? article("Proxy write");
  if (typeof body === "string" && !headers.has("content-length")) {
    headers.set("content-length", String(Buffer.byteLength(body)));
  }
  return { method: "POST", headers, body, duplex: "half" };
}

const url = (write: Write) => `${APP_ORIGIN}${write.path ?? "/api/upstream/jsonapi/node/article"}`;

async function answer(response: Response) {
  const text = await response.text();
  let error: unknown;
  try {
    error = (JSON.parse(text) as { error?: unknown }).error;
  } catch {
    error = text;
  }
  return {
    status: response.status,
    error,
    nosniff: response.headers.get("x-content-type-options"),
  };
}

/** The write through `bff.proxy` and, separately, through the route handler. */
async function both(cookie: string, write: Write) {
  const viaProxy = await bff.proxy(new NextRequest(url(write), requestFor(cookie, write)));
  const inProxy = viaProxy.headers.get("x-middleware-next") === null;
  const viaRoute = await bff.handlers.POST(new NextRequest(url(write), requestFor(cookie, write)));
  return { inProxy, proxy: await answer(viaProxy), route: await answer(viaRoute) };
}

describe("writes answered in proxy.ts answer as the route handler does", () => {
  it("a 2 KB article: 201 from both, and proxy.ts answered it", async () => {
    const { cookie } = await aliceCookie();
    const result = await both(cookie, {});
    expect(result.inProxy).toBe(true);
    expect(result.proxy).toEqual(result.route);
    expect(result.proxy.status).toBe(201);
  });

  const refusals: [string, Write, number, string][] = [
    ["without X-CSRF", { headers: { "x-csrf": "" } }, 403, "csrf"],
    ["from another origin", { headers: { origin: "http://evil.test" } }, 403, "csrf"],
    [
      "cross-site without Origin",
      { headers: { origin: "", "sec-fetch-site": "cross-site" } },
      403,
      "csrf",
    ],
    [
      "with a text/plain body",
      { headers: { "content-type": "text/plain" } },
      415,
      "unsupported_media_type",
    ],
    ["outside the path allow-list", { path: "/api/upstream/oauth/token" }, 404, "path_not_allowed"],
    [
      "to an encoded dot segment",
      { path: "/api/upstream/jsonapi/..%2Foauth/token" },
      400,
      "bad_path",
    ],
    [
      "with a body shorter than its Content-Length (cut by Next)",
      { headers: { "content-length": "900" }, body: () => cutBody('{"data":') },
      400,
      "bad_request",
    ],
  ];

  it.each(refusals)("refused alike %s", async (_name, write, status, error) => {
    const { cookie } = await aliceCookie();
    const result = await both(cookie, write);
    expect(result.inProxy).toBe(true);
    expect(result.proxy).toEqual({ status, error, nosniff: "nosniff" });
    expect(result.route).toEqual(result.proxy);
  });

  it("signed out: 401 alike", async () => {
    const result = await both("", {});
    expect([result.inProxy, result.proxy, result.route]).toEqual([
      true,
      { status: 401, error: "not_signed_in", nosniff: "nosniff" },
      { status: 401, error: "not_signed_in", nosniff: "nosniff" },
    ]);
  });

  it("over the size limit: proxy.ts passes it on and the route handler answers 413", async () => {
    const { cookie } = await aliceCookie();
    const result = await both(cookie, { body: () => "x".repeat(1024 * 1024 + 1) });
    expect(result.inProxy).toBe(false);
    expect(result.route).toEqual({ status: 413, error: "body_too_large", nosniff: "nosniff" });
  });

  it("an expired access token: five writes at once, one refresh, each write sent once", async () => {
    const { claims, cookie } = await aliceCookie(Date.now() - 1000);
    const titles = Array.from({ length: 5 }, (_, index) => `Expired proxy write ${String(index)}`);
    const responses = await Promise.all(
      titles.map((title) =>
        bff.proxy(new NextRequest(url({}), requestFor(cookie, { body: () => article(title) }))),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual([201, 201, 201, 201, 201]);
    expect(responses.every((response) => response.headers.getSetCookie().length > 0)).toBe(true);
    const db = new Database(api.databasePath, { readonly: true });
    try {
      const family = db
        .prepare("SELECT family FROM oauth_tokens WHERE kind = 'refresh' AND value_hash = ?")
        .get(sha256(claims.refreshToken)) as { family: string };
      const rotated = db
        .prepare(
          "SELECT COUNT(*) AS n FROM oauth_tokens WHERE kind = 'refresh' AND rotated = 1 AND family = ?",
        )
        .get(family.family) as { n: number };
      expect(rotated.n).toBe(1);
      const stored = db
        .prepare("SELECT COUNT(*) AS n FROM articles WHERE title LIKE 'Expired proxy write %'")
        .get() as { n: number };
      expect(stored.n).toBe(5);
    } finally {
      db.close();
    }
  });
});

function cutBody(text: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      controller.close();
    },
  });
}

function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}
