import type { AuthOptions } from "next-auth";
import { describe, expect, it } from "vitest";
import { loadBffConfig } from "../../src/lib/config/bff-config.js";
import { createBffCore as createBff } from "../../src/lib/bff/bff.js";

type RedirectCallback = NonNullable<NonNullable<AuthOptions["callbacks"]>["redirect"]>;

function redirectCallback(): RedirectCallback {
  const bff = createBff({
    config: loadBffConfig({
      UPSTREAM_URL: "http://127.0.0.1:4000",
      UPSTREAM_CLIENT_ID: "c",
      UPSTREAM_CLIENT_SECRET: "s",
      NEXTAUTH_URL: "https://app.example.com",
      NEXTAUTH_SECRET: "x".repeat(40),
    }),
    log: () => undefined,
  });
  const redirect = bff.authOptions.callbacks?.redirect;
  if (redirect === undefined) throw new Error("no redirect callback");
  return redirect;
}

describe("A4 next-auth redirect callback", () => {
  const baseUrl = "https://app.example.com";
  it.each([
    ["/account?x=1#top", `${baseUrl}/account?x=1#top`],
    [`${baseUrl}/articles`, `${baseUrl}/articles`],
    ["https://evil.example/x", `${baseUrl}/`],
    ["//evil.example", `${baseUrl}/`],
    ["/\\evil.example", `${baseUrl}/`],
    ["https:evil.example", `${baseUrl}/`],
    ["%2F%2Fevil.example", `${baseUrl}/`],
    ["javascript:alert(1)", `${baseUrl}/`],
    ["http://[", `${baseUrl}/`],
    ["", `${baseUrl}/`],
  ])(
    "A4 %s → %s, never a throw (a throw is a 500 from the sign-in callback)",
    async (url, expected) => {
      expect(await redirectCallback()({ url, baseUrl })).toBe(expected);
    },
  );
});
