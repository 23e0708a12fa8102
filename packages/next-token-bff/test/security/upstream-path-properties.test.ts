import fc from "fast-check";
import type { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Bff, createBff } from "../../src/lib/bff/create-bff.js";
import { createPathPolicy, resolveUpstreamPath } from "../../src/lib/upstream/upstream-path.js";
import { mintSessionCookie } from "../../src/testing/session-cookie.js";
import { type SpyUpstream, startSpyUpstream } from "../upstream/support/spy-upstream.js";

/**
 * B1 E4 with 10,000 generated cases per property (fast-check; seeded per run, a failure prints
 * the seed and the shrunk path). The path check (`upstream/upstream-path.ts`) against generated
 * allow-lists, and the whole catch-all route of `createBff` (`handlers`, as `app/api/[...bff]`
 * mounts it) against a spy upstream: a generated path never reaches an upstream path outside
 * the allowed prefixes, as the upstream itself would read it, and never gets a 5xx.
 */

const RUNS = 10_000;
const APP = "http://app.test:3000";
const SECRET = "upstream-path-properties-secret-0123456789";

/** The pieces paths are made of: separators in every spelling, dot segments, host syntax. */
const piece = fc.constantFrom(
  ..."abcAZ09-_.~/\\@:;?#[]%&=+ ,'\"<>{}|^`!$()*".split(""),
  ...["%2e", "%2E", "%2f", "%2F", "%5c", "%5C", "%00", "%0d%0a", "%09", "%20", "%25"],
  ...["%252e", "%252f", "%c0%ae", "%c0%af", "%e2%80%ae", "%ef%bc%8f", "%ff", "%", "%2"],
  ...["%40", "%3a", "%3f", "%23", "..", "...", "./", "../", "/..", "//", "/./", "\\..\\"],
  ...["jsonapi", "api", "v1", "files", "oauth", "token", "user", "evil.example", "@evil"],
  ...["\u0000", "\t", "\n", "\u00e9", "\u200b", "\u2215", "\uff0f", "\ud83d\ude00"],
);
const tail = fc.array(piece, { maxLength: 16 }).map((parts) => parts.join(""));
/** Segments that pass the default pattern, so many paths are accepted and reach the upstream. */
const plainSegment = fc.stringMatching(/^[A-Za-z0-9_~-][A-Za-z0-9_~.-]{0,7}$/);

/** Prefixes an app might allow (`UpstreamRouteOptions.allowedPathPrefixes`). */
const prefixPool = ["/jsonapi/", "/api/v1/", "/files", "/a/b/", "/x.y/", "/jsonapi"];
const prefixes = fc.uniqueArray(fc.constantFrom(...prefixPool), { minLength: 1, maxLength: 3 });

/** A path after the mount point: often under an allowed prefix, with a tricky tail. */
function pathFor(allowed: readonly string[]) {
  const start = fc.constantFrom(...allowed, ...prefixPool, "/", "");
  // Mostly plain segments: enough paths are accepted that the accepting side is well tested.
  return fc.oneof(
    fc.tuple(start, tail).map(([head, rest]) => `${head}${rest}`),
    {
      weight: 8,
      arbitrary: fc
        .tuple(
          start,
          fc.array(plainSegment, { maxLength: 4 }),
          fc.oneof({ weight: 3, arbitrary: fc.constant("") }, tail),
        )
        .map(([head, segments, rest]) => `${head}${segments.join("/")}${rest}`),
    },
    fc.tuple(start, fc.string({ maxLength: 24 })).map(([head, rest]) => `${head}${rest}`),
  );
}

function requestUrl(mountPath: string, path: string): string | null {
  try {
    return new URL(`${mountPath}${path.startsWith("/") ? "" : "/"}${path}`, APP).toString();
  } catch {
    return null;
  }
}

/** Whether `path` is under one of `allowed`, as the library documents it (`/x/` also `/x`). */
function under(path: string, allowed: readonly string[]): boolean {
  return allowed.some((prefix) =>
    prefix.endsWith("/")
      ? path.startsWith(prefix) || path === prefix.slice(0, -1)
      : path === prefix || path.startsWith(`${prefix}/`),
  );
}

/**
 * What an upstream does with a request path: resolve it as a URL against its origin (dot
 * segments, backslashes), then decode each segment once. The path is safe when that changes
 * nothing, no decoded segment is a separator, a dot segment or holds another escape, and the
 * decoded path is under an allowed prefix.
 */
function expectSafeUpstreamPath(raw: string, origin: string, allowed: readonly string[]) {
  const resolved = new URL(raw, origin);
  expect(resolved.origin).toBe(origin);
  expect(resolved.pathname).toBe(raw);
  const decoded = raw.split("/").map((segment) => decodeURIComponent(segment));
  for (const segment of decoded.slice(1)) {
    expect(segment === "." || segment === ".." || segment === "").toBe(false);
    expect(/[/\\%?#@:\s]/.test(segment)).toBe(false);
    // eslint-disable-next-line @typescript-eslint/no-misused-spread -- each code point; control characters are single ones
    expect([...segment].some((char) => char.charCodeAt(0) < 0x20 || char === "\u007f")).toBe(false);
  }
  expect(under(decoded.join("/"), allowed)).toBe(true);
}

/** The route parameters for `url`: none, decoded as `bff/route-handlers.ts` does, or given. */
function routeParams(url: string, choice: "none" | "decoded" | string[]): string[] | undefined {
  if (choice === "none") return undefined;
  if (choice !== "decoded") return choice;
  return new URL(url).pathname
    .slice("/api/upstream/".length)
    .split("/")
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
}

describe("B1 property: the path check against generated allow-lists (library unit)", () => {
  it(`B1 property: ${RUNS} generated paths: an accepted one is exactly what the upstream reads, under an allowed prefix; none throws`, () => {
    const upstreamOrigin = "http://upstream.test:4000";
    let accepted = 0;
    fc.assert(
      fc.property(
        prefixes.chain((allowed) => fc.tuple(fc.constant(allowed), pathFor(allowed))),
        // Route parameters: none, as the catch-all route decodes them, or made up.
        fc.oneof(
          fc.constant("none" as const),
          fc.constant("decoded" as const),
          fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }),
        ),
        ([allowed, path], paramChoice) => {
          const policy = createPathPolicy({ mountPath: "/api/upstream", allowedPrefixes: allowed });
          const url = requestUrl("/api/upstream", path);
          if (url === null) return;
          const params = routeParams(url, paramChoice);
          const result = resolveUpstreamPath(url, policy, params);
          if (!result.ok) return;
          accepted += 1;
          if (params !== undefined) expect(result.segments).toEqual(params);
          expectSafeUpstreamPath(result.path, upstreamOrigin, allowed);
          expect(new URL(`${result.path}${result.search}`, upstreamOrigin).pathname).toBe(
            result.path,
          );
        },
      ),
      { numRuns: RUNS },
    );
    // The generators reach the accepting side too, not only refusals.
    expect(accepted).toBeGreaterThan(RUNS / 10);
  });
});

describe("B1 E4 property: the catch-all route of createBff against a spy upstream", () => {
  let spy: SpyUpstream;
  let cookie: string;
  const allowed = ["/jsonapi/", "/api/v1/", "/files"];
  let bff: Bff;

  beforeAll(async () => {
    spy = await startSpyUpstream();
    bff = createBff({
      env: {
        UPSTREAM_URL: spy.url,
        UPSTREAM_CLIENT_ID: "next-web",
        UPSTREAM_CLIENT_SECRET: "next-web-secret",
        NEXTAUTH_URL: APP,
        NEXTAUTH_SECRET: SECRET,
      },
      upstream: { allowedPathPrefixes: allowed, maxBodyBytes: 4096 },
      logger: { info() {}, warn() {}, error() {} },
    });
    ({ cookieHeader: cookie } = await mintSessionCookie({
      secret: SECRET,
      accessToken: "property-access-token",
    }));
  });
  afterAll(async () => {
    await spy.close();
  });

  it(`B1 E4 property: ${RUNS} generated paths and methods: never a 5xx, the upstream only sees allowed paths with our bearer`, async () => {
    let forwarded = 0;
    await fc.assert(
      fc.asyncProperty(
        pathFor(allowed),
        fc.constantFrom("GET", "GET", "HEAD", "DELETE", "POST", "PATCH"),
        async (path, method) => {
          const url = requestUrl("/api/upstream", path);
          if (url === null) return;
          const init: RequestInit & { duplex?: "half" } = {
            method,
            headers: { cookie, "x-csrf": "1", origin: APP, "content-type": "application/json" },
          };
          if (method === "POST" || method === "PATCH") {
            init.body = '{"data":{}}';
            init.duplex = "half";
          }
          const before = spy.requests.length;
          const response = await bff.handlers[method as "GET"](
            new Request(url, init) as unknown as NextRequest,
          );
          await response.arrayBuffer();
          expect(response.status).toBeLessThan(500);
          for (const seen of spy.requests.slice(before)) {
            forwarded += 1;
            const [raw = ""] = seen.url.split("?");
            expectSafeUpstreamPath(raw, spy.url, allowed);
            expect(seen.headers.authorization).toBe("Bearer property-access-token");
            expect(seen.headers.cookie).toBeUndefined();
          }
        },
      ),
      { numRuns: RUNS },
    );
    expect(forwarded).toBeGreaterThan(RUNS / 10);
  }, 60_000);
});
