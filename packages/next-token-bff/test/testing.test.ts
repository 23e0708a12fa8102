import { decode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { readSessionClaims } from "../src/lib/session/claims.js";
import { mintSessionCookie } from "../src/testing/index.js";

const secret = "a-test-secret-that-is-at-least-32-characters-long";

describe("next-token-bff/testing", () => {
  it("mints a session cookie with the library's claims that decrypts with the secret", async () => {
    const minted = await mintSessionCookie({ secret, accessToken: "at", user: { name: "Bob" } });
    expect(minted.cookies[0]?.name).toBe("next-auth.session-token");
    expect(minted.cookieHeader.startsWith("next-auth.session-token=")).toBe(true);
    const decoded = await decode({ token: minted.cookies[0]?.value, secret });
    const claims = readSessionClaims(decoded);
    expect(claims?.accessToken).toBe("at");
    expect(claims?.user.name).toBe("Bob");
  });

  it("uses the __Host- name for https apps", async () => {
    const minted = await mintSessionCookie({ secret, secureCookies: true });
    expect(minted.cookies[0]?.name).toBe("__Host-next-auth.session-token");
  });
});
