import fc from "fast-check";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { BffCore as Bff } from "../../src/lib/bff/bff.js";
import { readSessionClaims } from "../../src/lib/session/claims.js";
import {
  createUpstreamRoute,
  upstreamRouteMethods,
} from "../../src/lib/upstream/upstream-route.js";
import type { UpstreamRoute } from "../../src/lib/upstream/upstream-route.js";
import {
  requestHeaderAllowList,
  upstreamRequestHeaders,
} from "../../src/lib/upstream/request-headers.js";
import {
  browserResponseHeaders,
  responseHeaderAllowList,
} from "../../src/lib/upstream/response-headers.js";
import { createSessionDecoder } from "../../src/lib/session/session-decoder.js";
import { createPathPolicy, resolveUpstreamPath } from "../../src/lib/upstream/upstream-path.js";
import { APP, proxyRequest } from "../upstream/support/requests.js";
import { fakeClaims, sessionCookie, testBff } from "../upstream/support/sessions.js";
import { type SpyUpstream, startSpyUpstream } from "../upstream/support/spy-upstream.js";

/**
 * Property-based tests (fast-check) of the proxy's path normalisation, its header filters, the
 * route handler against a spy upstream, and the session cookie decoder. The properties: never a
 * 5xx of our own, never an upstream call outside the allow-list, never a token in a response.
 * Runs are kept small (the whole file takes a few seconds) and seeded by fast-check per run;
 * a failure prints the seed and the shrunk counterexample.
 */

const UPSTREAM = "http://upstream.test:4000";
const policy = createPathPolicy({ mountPath: "/api/upstream", allowedPrefixes: ["/jsonapi/"] });

/** Characters that matter to URL parsing, plus ordinary ones. */
const urlChar = fc.constantFrom(
  ..."abcAZ09-_.~/\\@:;?#[]%&=+ ,'\"<>{}|^`!$()*".split(""),
  "%2e",
  "%2E",
  "%2f",
  "%2F",
  "%5c",
  "%00",
  "%0d%0a",
  "%252e",
  "%c0%ae",
  "%40",
  "%3f",
  "..",
  "//",
  "jsonapi",
  "oauth",
  "token",
  "evil.example",
  "\u0000",
  "\u00e9",
  "\ud83d\ude00",
);
const rawPath = fc.array(urlChar, { maxLength: 24 }).map((parts) => parts.join(""));
/** Paths that start like an allowed one, so the interesting cases are not all trivially refused. */
const pathUnderMount = fc.oneof(
  rawPath.map((tail) => `/jsonapi/${tail}`),
  rawPath.map((tail) => `/jsonapi${tail}`),
  rawPath.map((tail) => `/${tail}`),
  fc.string({ maxLength: 40 }).map((tail) => `/jsonapi/${tail}`),
);

/** Plain allowed paths, with a query, so the route handler also forwards. */
const plainPath = fc
  .tuple(
    fc.array(fc.stringMatching(/^[a-z0-9_-]{1,8}$/), { minLength: 1, maxLength: 4 }),
    fc.option(fc.stringMatching(/^[a-z[\]=&%0-9]{0,20}$/), { nil: undefined }),
  )
  .map(([segments, query]) => `/jsonapi/${segments.join("/")}${query ? `?${query}` : ""}`);

function requestUrl(path: string): string | null {
  try {
    return new URL(`/api/upstream${path}`, APP).toString();
  } catch {
    return null;
  }
}

describe("B1 property: path normalisation (library unit)", () => {
  it("B1 property: an accepted path stays on the upstream origin, under /jsonapi, without dot segments", () => {
    fc.assert(
      fc.property(pathUnderMount, (path) => {
        const url = requestUrl(path);
        if (url === null) return;
        const result = resolveUpstreamPath(url, policy);
        if (!result.ok) return;
        const target = new URL(`${result.path}${result.search}`, UPSTREAM);
        expect(target.origin).toBe(UPSTREAM);
        expect(target.pathname === "/jsonapi" || target.pathname.startsWith("/jsonapi/")).toBe(
          true,
        );
        // What the upstream receives is exactly what was checked: no later resolution of
        // `..`, no second decoding into a separator.
        expect(target.pathname).toBe(result.path);
        for (const segment of result.segments) {
          expect(segment === "." || segment === "..").toBe(false);
          expect(/[/\\@:%?#]/.test(segment)).toBe(false);
          // eslint-disable-next-line @typescript-eslint/no-misused-spread -- looks at each code point; control characters are single ones
          expect([...segment].some((char) => char.charCodeAt(0) < 0x20 || char === "\u007f")).toBe(
            false,
          );
        }
      }),
      { numRuns: 1500 },
    );
  });

  it("B1 property: never throws, whatever the URL and the route parameters", () => {
    fc.assert(
      fc.property(
        pathUnderMount,
        fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }),
        (path, params) => {
          const url = requestUrl(path);
          if (url === null) return;
          expect(() => resolveUpstreamPath(url, policy, params)).not.toThrow();
          const result = resolveUpstreamPath(url, policy, params);
          if (result.ok) expect(result.segments).toEqual(params);
        },
      ),
      { numRuns: 800 },
    );
  });
});

const headerName = fc.oneof(
  fc.constantFrom(
    "authorization",
    "cookie",
    "host",
    "x-forwarded-for",
    "x-forwarded-host",
    "x-forwarded-proto",
    "x-real-ip",
    "forwarded",
    "x-user-id",
    "x-http-method-override",
    "x-method-override",
    "proxy-authorization",
    "connection",
    "transfer-encoding",
    "content-length",
    "te",
    "upgrade",
    "x-csrf",
    "accept",
    "content-type",
    "if-match",
    "x-custom",
  ),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/),
);
const headerValue = fc.stringMatching(/^[\x21-\x7e]{0,40}$/);

describe("B2 property: header filters (library unit)", () => {
  const requestAllow = requestHeaderAllowList();
  const responseAllow = responseHeaderAllowList();

  it("B2 property: upstream gets allow-listed headers only and exactly one Authorization, ours", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(headerName, headerValue), { maxLength: 12 }), (pairs) => {
        const incoming = new Headers();
        for (const [name, value] of pairs) incoming.append(name, value);
        const out = upstreamRequestHeaders(incoming, requestAllow, "the-session-token", null);
        expect(out.authorization).toBe("Bearer the-session-token");
        for (const name of Object.keys(out)) {
          expect(name === "authorization" || requestAllow.has(name)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("B2 B4 B11 property: the browser gets no upstream cookie, CORS or cache header, and always nosniff + no-store", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(headerName, headerValue), { maxLength: 12 }), (pairs) => {
        const upstream: Record<string, string> = {};
        for (const [name, value] of pairs) upstream[name] = value;
        upstream["set-cookie"] = "upstream=1";
        upstream["access-control-allow-origin"] = "*";
        upstream["cache-control"] = "public, max-age=600";
        const out = browserResponseHeaders(upstream, responseAllow, []);
        expect(out.get("set-cookie")).toBeNull();
        const names: string[] = [];
        out.forEach((_value, name) => names.push(name));
        expect(names.some((name) => name.startsWith("access-control-"))).toBe(false);
        expect(out.get("x-content-type-options")).toBe("nosniff");
        expect(out.get("cache-control")).toContain("no-store");
        for (const name of names) {
          expect(
            responseAllow.has(name) ||
              ["x-content-type-options", "cache-control", "content-security-policy"].includes(name),
          ).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("B1 B2 B3 A15 property: the route handler against a spy upstream", () => {
  let spy: SpyUpstream;
  let bff: Bff;
  let route: UpstreamRoute;
  let claims: ReturnType<typeof fakeClaims>;
  let cookie: string;

  beforeAll(async () => {
    spy = await startSpyUpstream();
    bff = testBff(spy.url);
    route = createUpstreamRoute({ getBff: () => bff, maxBodyBytes: 4096, timeoutMs: 5_000 });
    claims = fakeClaims();
    cookie = await sessionCookie(bff, claims);
  });
  afterAll(async () => {
    await spy.close();
  });
  beforeEach(() => {
    spy.reset();
  });

  const secrets = () => [claims.accessToken, claims.refreshToken, cookie.split("=")[1] ?? ""];

  it("B1 B2 B3 property: never a 5xx, upstream only under /jsonapi with our bearer, no token in any answer", async () => {
    const method = fc.constantFrom(...upstreamRouteMethods);
    const extraHeaders = fc.dictionary(headerName, headerValue, { maxKeys: 6 });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(pathUnderMount, plainPath),
        method,
        extraHeaders,
        fc.boolean(),
        fc.option(fc.string({ maxLength: 60 }), { nil: undefined }),
        async (path, verb, headers, withSession, body) => {
          const url = requestUrl(path);
          if (url === null) return;
          const before = spy.requests.length;
          const extra: Record<string, string> = {};
          for (const [name, value] of Object.entries(headers)) {
            // Headers the Fetch API itself forbids or that would only break the request shape.
            if (
              [
                "host",
                "connection",
                "transfer-encoding",
                "content-length",
                "te",
                "upgrade",
              ].includes(name)
            )
              continue;
            extra[name] = value;
          }
          if (!withSession) delete extra.cookie;
          let request: Request;
          try {
            request = proxyRequest(url.slice(`${APP}/api/upstream`.length), {
              method: verb,
              headers: extra,
              cookie: withSession ? cookie : undefined,
              body: verb === "GET" || verb === "HEAD" ? undefined : body,
            });
          } catch {
            return; // the Fetch API refused to build this request at all
          }
          const response = await route[verb](request);
          const text = await response.text();
          expect(response.status).toBeLessThan(500);
          for (const secret of secrets()) expect(text.includes(secret)).toBe(false);
          for (const seen of spy.requests.slice(before)) {
            const pathname = seen.url.split("?")[0] ?? "";
            expect(pathname === "/jsonapi" || pathname.startsWith("/jsonapi/")).toBe(true);
            expect(seen.headers.authorization).toBe(`Bearer ${claims.accessToken}`);
            expect(seen.headers.cookie).toBeUndefined();
            expect(seen.headers.host).toBe(spy.host);
          }
        },
      ),
      // 250 runs reached the upstream 19–42 times (the check below wants more than 20): 500.
      { numRuns: 500 },
    );
    // The generators reach the upstream too, not only the refusals.
    expect(spy.dataRequests().length).toBeGreaterThan(20);
  });

  it("A12 A15 property: any Cookie and Authorization header without our session → 401, nothing upstream", async () => {
    const cookieHeader = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc
        .array(fc.tuple(fc.stringMatching(/^[a-zA-Z0-9._-]{1,30}$/), fc.string({ maxLength: 80 })))
        .map((pairs) => pairs.map(([name, value]) => `${name}=${value}`).join("; ")),
      fc
        .array(fc.string({ maxLength: 80 }), { maxLength: 4 })
        .map((values) =>
          values.map((value, index) => `${bff.cookieName}.${index}=${value}`).join("; "),
        ),
    );
    await fc.assert(
      fc.asyncProperty(cookieHeader, fc.string({ maxLength: 120 }), async (raw, authorization) => {
        const headers: Record<string, string> = {};
        let request: Request;
        try {
          request = proxyRequest("/jsonapi/node/article", {
            headers: { ...headers, authorization: `Bearer ${authorization}` },
            cookie: raw,
          });
        } catch {
          return;
        }
        const response = await route.GET(request);
        expect(response.status).toBe(401);
        await response.text();
        expect(spy.started).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});

describe("A12 property: session cookie decoder", () => {
  const secret = "property-test-secret-0123456789abcdefghij";
  const decode = createSessionDecoder(secret);

  it("A12 property: arbitrary strings and mutated real cookies never decode to another session, never throw", async () => {
    const original = fakeClaims();
    const real = await encode({ token: original, secret, maxAge: 600 });
    const mutated = fc
      .tuple(fc.nat({ max: real.length - 1 }), fc.constantFrom(..."ABCxyz019-_.".split("")))
      .map(([index, char]) => `${real.slice(0, index)}${char}${real.slice(index + 1)}`)
      .filter((token) => token !== real);
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 300 }), mutated), async (token) => {
        const result = await decode(token);
        // A changed character is refused, except the unused low bits of a base64url tail
        // (the same bytes: the same session, never another one).
        if (result !== null) expect(result.claims).toEqual(original);
      }),
      { numRuns: 300 },
    );
    expect(await decode(real)).not.toBeNull();
  });

  it("A12 property: a validly encrypted JWT without our claims is not a session", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }),
        async (payload) => {
          expect(readSessionClaims(payload)).toBeNull();
          const token = await encode({ token: payload, secret, maxAge: 600 });
          expect(await decode(token)).toBeNull();
        },
      ),
      { numRuns: 60 },
    );
  });
});
