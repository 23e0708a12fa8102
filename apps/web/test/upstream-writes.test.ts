import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ifStarted } from "../../../test-support/hooks.js";
import { demoUsers } from "./support/context";
import {
  type ApiServer,
  type CookieJar,
  type Server,
  familyReport,
  newSecret,
  signInOverHttp,
  startApi,
  startWeb,
  tokensOf,
  waitUntil,
} from "./support/refresh-servers";

/**
 * Writes through `/api/upstream` against `next start` and the reference API. Every request goes
 * to two servers of one build in front of one API, `fast` (the default) and `route` (with
 * UPSTREAM_IN_PROXY=0: the route handler answers everything), and both must answer alike.
 * Bodiless writes (DELETE) are answered in proxy.ts; writes with a body are kept out of it by
 * the matcher (Next would hold the answer to a slow upload until its body ends) and go to the
 * route handler. Next's App Router route pipeline marks its answers with `Vary: rsc, …`;
 * proxy.ts answers carry no such header, which tells which of the two answered.
 */
const ACCESS_TOKEN_TTL = 4;
const secret = newSecret();
const articles = "/api/upstream/jsonapi/node/article";
let api: ApiServer;
let fast: Server;
let route: Server;

beforeAll(async () => {
  api = await startApi({ accessTokenTtl: ACCESS_TOKEN_TTL });
  [fast, route] = await Promise.all([
    startWeb({ apiUrl: api.url, secret }),
    startWeb({ apiUrl: api.url, secret, env: { UPSTREAM_IN_PROXY: "0" } }),
  ]);
}, 90_000);

afterAll(async () => {
  await Promise.all(
    [fast, route].map(async (server) => {
      await ifStarted(server)?.stop();
    }),
  );
  await ifStarted(api)?.stop();
});

const sandboxPolicy = "default-src 'none'; frame-ancestors 'none'; sandbox";

const answeredInProxy = (response: Response) =>
  !(response.headers.get("vary") ?? "").toLowerCase().includes("rsc");

/** A 2 KB JSON:API article, as the app's own form sends it. */
function article(title: string): string {
  const body = { value: "w".repeat(2048 - 120 - title.length), format: "plain_text" };
  return JSON.stringify({ data: { type: "node--article", attributes: { title, body } } });
}

interface Sent {
  status: number;
  error: string | undefined;
  /** The JSON:API resource's id, for a created one. */
  id: string | undefined;
  inProxy: boolean;
  response: Response;
}

async function send(
  web: Server,
  jar: CookieJar | undefined,
  init: { method?: string; path?: string; headers?: Record<string, string>; body?: BodyInit },
): Promise<Sent> {
  // A header given as "" is left out.
  const headers = Object.entries({
    ...(jar === undefined ? {} : { cookie: jar.header() }),
    "x-csrf": "1",
    origin: web.url,
    "content-type": "application/vnd.api+json",
    ...init.headers,
  }).filter(([, value]) => value !== "");
  const response = await fetch(`${web.url}${init.path ?? articles}`, {
    method: init.method ?? "POST",
    headers,
    body: init.body,
    redirect: "manual",
    ...(init.body instanceof ReadableStream ? { duplex: "half" } : {}),
  });
  const text = await response.text();
  let json: { error?: string; data?: { id?: string } } = {};
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    // no JSON body (204)
  }
  return {
    status: response.status,
    error: json.error,
    id: json.data?.id,
    inProxy: answeredInProxy(response),
    response,
  };
}

/** The same request to both servers (each with its own session of alice). */
async function both(
  init: Parameters<typeof send>[2] & { signedIn?: boolean },
): Promise<{ fast: Sent; route: Sent }> {
  const signedIn = init.signedIn ?? true;
  const jarOf = async (web: Server) =>
    signedIn
      ? await signInOverHttp(web.url, demoUsers.alice.username, demoUsers.alice.password)
      : undefined;
  const [fastJar, routeJar] = await Promise.all([jarOf(fast), jarOf(route)]);
  return { fast: await send(fast, fastJar, init), route: await send(route, routeJar, init) };
}

/** Creates an article through the route handler and returns its proxy path. */
async function createdArticle(jar: CookieJar, title: string): Promise<string> {
  const created = await send(fast, jar, { body: article(title) });
  expect([created.status, created.inProxy]).toEqual([201, false]);
  expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
  return `${articles}/${created.id ?? ""}`;
}

const bodiless = { method: "DELETE", headers: { "content-type": "" } };

describe("writes through /api/upstream: the same answers from proxy.ts and the route handler", () => {
  it("POST and PATCH with a body go to the route handler; DELETE is answered in proxy.ts", async () => {
    const jar = await signInOverHttp(fast.url, demoUsers.alice.username, demoUsers.alice.password);
    const path = await createdArticle(jar, "A 2 KB article");
    const patched = await send(fast, jar, {
      method: "PATCH",
      path,
      body: JSON.stringify({
        data: { type: "node--article", id: path.split("/").pop(), attributes: { title: "Edited" } },
      }),
    });
    expect([patched.status, patched.inProxy]).toEqual([200, false]);
    const deleted = await send(fast, jar, { ...bodiless, path });
    expect([deleted.status, deleted.inProxy]).toEqual([204, true]);
    const again = await send(fast, jar, { ...bodiless, path });
    expect([again.status, again.inProxy]).toEqual([404, true]);
  });

  const refusals: [string, Parameters<typeof both>[0], number, string][] = [
    [
      "without X-CSRF",
      { ...bodiless, headers: { ...bodiless.headers, "x-csrf": "" } },
      403,
      "csrf",
    ],
    [
      "from another origin",
      { ...bodiless, headers: { ...bodiless.headers, origin: "http://evil.test" } },
      403,
      "csrf",
    ],
    [
      "cross-site without Origin",
      { ...bodiless, headers: { ...bodiless.headers, origin: "", "sec-fetch-site": "cross-site" } },
      403,
      "csrf",
    ],
    [
      "without Origin or Sec-Fetch-Site",
      { ...bodiless, headers: { ...bodiless.headers, origin: "" } },
      403,
      "csrf",
    ],
    [
      "outside the path allow-list",
      { ...bodiless, path: "/api/upstream/oauth/token" },
      404,
      "path_not_allowed",
    ],
    [
      "to an encoded dot segment",
      { ...bodiless, path: "/api/upstream/jsonapi/..%2Foauth/token" },
      400,
      "bad_path",
    ],
    ["signed out", { ...bodiless, signedIn: false }, 401, "not_signed_in"],
  ];

  it.each(refusals)(
    "a DELETE refused alike %s, in proxy.ts",
    async (_name, init, status, error) => {
      const answers = await both({
        path: `${articles}/00000000-0000-4000-8000-000000000000`,
        ...init,
      });
      expect([answers.fast.status, answers.fast.error, answers.fast.inProxy]).toEqual([
        status,
        error,
        true,
      ]);
      expect([answers.route.status, answers.route.error, answers.route.inProxy]).toEqual([
        status,
        error,
        false,
      ]);
      for (const answer of [answers.fast, answers.route]) {
        expect(answer.response.headers.get("cache-control")).toBe("no-store");
        expect(answer.response.headers.get("x-content-type-options")).toBe("nosniff");
        expect(answer.response.headers.get("content-security-policy")).toBe(sandboxPolicy);
      }
    },
  );

  it("bodies: media type, size and chunked uploads are answered alike by the route handler", async () => {
    const text = await both({ headers: { "content-type": "text/plain" }, body: "hi" });
    const over = await both({ body: "x".repeat(1024 * 1024 + 1) });
    for (const [answer, status, error] of [
      [text.fast, 415, "unsupported_media_type"],
      [text.route, 415, "unsupported_media_type"],
      [over.fast, 413, "body_too_large"],
      [over.route, 413, "body_too_large"],
    ] as const) {
      expect([answer.status, answer.error, answer.inProxy]).toEqual([status, error, false]);
      // The proxy's own policy, not the one next.config.ts gives the rest of /api.
      expect(answer.response.headers.get("content-security-policy")).toBe(sandboxPolicy);
    }
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(article("Sent chunked")));
        controller.close();
      },
    });
    const jar = await signInOverHttp(fast.url, demoUsers.alice.username, demoUsers.alice.password);
    const streamed = await send(fast, jar, { body: chunked });
    expect([streamed.status, streamed.inProxy]).toEqual([201, false]);
  });

  it("an expired access token: five DELETEs at once in proxy.ts, one refresh, each sent once", async () => {
    const jar = await signInOverHttp(fast.url, demoUsers.alice.username, demoUsers.alice.password);
    const tokens = await tokensOf(jar, secret);
    const paths = await Promise.all(
      Array.from({ length: 5 }, (_, index) => createdArticle(jar, `To delete ${String(index)}`)),
    );
    await waitUntil(tokens.accessTokenExpiresAt);
    const deletes = await Promise.all(paths.map((path) => send(fast, jar, { ...bodiless, path })));
    expect(deletes.map((answer) => [answer.status, answer.inProxy])).toEqual(
      Array(5).fill([204, true]),
    );
    expect(familyReport(api.databasePath, tokens.refreshToken)).toEqual({
      refreshes: 1,
      revokedUnrotated: 0,
      live: 1,
    });
    expect(deletes.every((answer) => answer.response.headers.getSetCookie().length > 0)).toBe(true);
    const db = new Database(api.databasePath, { readonly: true });
    const left = db
      .prepare("SELECT COUNT(*) AS n FROM articles WHERE title LIKE 'To delete %'")
      .get() as { n: number };
    db.close();
    expect(left.n).toBe(0);
  }, 30_000);
});
