import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { redirectValues } from "../../../../test-support/redirect-values.js";
import { redirectTarget, safeCallbackPath } from "../../src/lib/redirect/callback-url.js";

/**
 * A4 (open redirect) by generated values: whatever a caller puts in `callbackUrl`, the
 * `Location` a route sends, resolved by the browser's URL parser against the page that sent
 * it, stays on the app's origin. 10,000 values per property and run.
 */
const APP = "https://app.test";
const pagesThatRedirect = [`${APP}/login`, `${APP}/api/session/refresh`, `${APP}/a/b/c/`];
const runs = { numRuns: 10_000 };

/** What a browser does with a `Location` header: `Headers` refuses what HTTP cannot carry. */
function followedOrigin(location: string, from: string): string {
  const header = new Headers({ location }).get("location") ?? "";
  return new URL(header, from).origin;
}

describe("A4 redirectTarget (generated values)", () => {
  it("every Location it makes resolves to the app's origin", () => {
    fc.assert(
      fc.property(redirectValues(APP), fc.constantFrom(...pagesThatRedirect), (value, page) => {
        expect(followedOrigin(redirectTarget(value, APP), page)).toBe(APP);
      }),
      runs,
    );
  });

  it("a carried path (safeCallbackPath) resolves to the app's origin too", () => {
    fc.assert(
      fc.property(redirectValues(APP), fc.constantFrom(...pagesThatRedirect), (value, page) => {
        const path = safeCallbackPath(value);
        expect(path.startsWith("/")).toBe(true);
        expect(followedOrigin(path, page)).toBe(APP);
        // Carried in a query and checked again at the redirect: still the same place.
        expect(redirectTarget(path, APP)).toBe(`${APP}${path}`);
      }),
      runs,
    );
  });

  it("keeps what is plainly on the app: paths, queries, fragments, absolute app URLs", () => {
    const path = fc
      .array(fc.constantFrom("a", "b", "account", "x-y", "%20", "é"), {
        minLength: 1,
        maxLength: 4,
      })
      .map((segments) => `/${segments.join("/")}`);
    fc.assert(
      fc.property(path, fc.boolean(), (value, absolute) => {
        const expected = new URL(value, APP).href;
        expect(redirectTarget(absolute ? `${APP}${value}` : value, APP)).toBe(expected);
      }),
      runs,
    );
  });

  it.each([
    "/.//evil.example/x",
    "/./\\evil.example",
    "/a/..//evil.example",
    "/%2e//evil.example",
    "/.%2e//evil.example",
    "/\t.//evil.example",
    "/.\n//evil.example",
    " /.//evil.example",
  ])("A4 dot segments cannot make %j protocol-relative", (value) => {
    expect(redirectTarget(value, APP)).toBe(`${APP}/`);
    expect(safeCallbackPath(value)).toBe("/");
  });
});
