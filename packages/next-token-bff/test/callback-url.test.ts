import { describe, expect, it } from "vitest";
import { loginPathFor, safeCallbackPath } from "../src/lib/redirect/callback-url.js";

describe("A4 safeCallbackPath", () => {
  it.each([
    "//evil.example",
    "https://evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "https:evil.example",
    "/\t/evil.example",
    "http://[",
    "",
    "account",
  ])("sends %j to /", (value) => {
    expect(safeCallbackPath(value)).toBe("/");
  });

  it("keeps same-origin paths with query and hash", () => {
    expect(safeCallbackPath("/account")).toBe("/account");
    expect(safeCallbackPath("/account?tab=2#top")).toBe("/account?tab=2#top");
  });

  it("normalises dot segments instead of leaving the origin", () => {
    expect(safeCallbackPath("/a/../account")).toBe("/account");
  });

  it("builds the sign-in path with an encoded callbackUrl", () => {
    expect(loginPathFor("/account?x=1")).toBe("/login?callbackUrl=%2Faccount%3Fx%3D1");
    expect(loginPathFor("//evil")).toBe("/login");
  });
});
