import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { createSessionCache } from "../../src/lib/session/session-cache.js";
import { createSessionDecoder } from "../../src/lib/session/session-decoder.js";
import { clearSessionCookies } from "../../src/lib/session/clear-session-cookies.js";
import { fakeClaims } from "./support/sessions.js";

const secret = "decoder-test-secret-0123456789abcdefghij";

describe("createSessionDecoder", () => {
  it("reads what next-auth's encode wrote, with the key derived once", async () => {
    const claims = fakeClaims();
    const token = await encode({ token: claims, secret, maxAge: 600 });
    const decoded = await createSessionDecoder(secret)(token);
    expect(decoded?.claims).toEqual(claims);
    expect(decoded?.exp).toBeGreaterThan(Date.now() / 1000 + 590);
  });

  it("A12 refuses another secret, a tampered token, an expired one and foreign claims", async () => {
    const decode = createSessionDecoder(secret);
    const token = await encode({ token: fakeClaims(), secret, maxAge: 600 });
    expect(await createSessionDecoder(`${secret}x`)(token)).toBeNull();
    expect(await decode(`${token.slice(0, -3)}AAA`)).toBeNull();
    expect(await decode("not.a.jwe.at.all")).toBeNull();
    expect(await decode(await encode({ token: fakeClaims(), secret, maxAge: -60 }))).toBeNull();
    expect(await decode(await encode({ token: { name: "x", sub: "1" }, secret }))).toBeNull();
  });
});

describe("createSessionCache", () => {
  it("shares one decode among concurrent requests with the same cookie, even one it will not keep", async () => {
    const cache = createSessionCache();
    const decoder = createSessionDecoder(secret);
    let decodes = 0;
    const counting = (value: string) => {
      decodes += 1;
      return decoder(value);
    };
    // An expired access token (a refresh storm's cookie): decoded, but never cached.
    const expired = await encode({
      token: fakeClaims({ accessTokenExpiresAt: Date.now() - 1_000 }),
      secret,
      maxAge: 600,
    });
    const results = await Promise.all(
      Array.from({ length: 100 }, () => cache.getOrDecode(expired, counting)),
    );
    expect(decodes).toBe(1);
    expect(new Set(results).size).toBe(1);
    expect(results[0]?.claims.accessTokenExpiresAt).toBeLessThan(Date.now());
    expect(cache.size).toBe(0);
    // Once settled, the next request decodes again (nothing stale is kept).
    await cache.getOrDecode(expired, counting);
    expect(decodes).toBe(2);
    // A bad cookie is shared the same way and gives null to all.
    const bad = await Promise.all([1, 2, 3].map(() => cache.getOrDecode("x.y.z", counting)));
    expect(bad).toEqual([null, null, null]);
    expect(decodes).toBe(3);
  });

  it("keeps at most maxEntries, dropping the least recently used", () => {
    const cache = createSessionCache({ maxEntries: 2 });
    const entry = { claims: fakeClaims(), exp: Date.now() / 1000 + 600 };
    cache.set("a", entry);
    cache.set("b", entry);
    expect(cache.get("a")).toBe(entry);
    cache.set("c", entry);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(entry);
    expect(cache.size).toBe(2);
    cache.delete("a");
    expect(cache.get("a")).toBeUndefined();
  });

  it("never keeps an entry past the access token's expiry, the JWT's, or 5 minutes", () => {
    let now = 1_000_000;
    const cache = createSessionCache({ now: () => now, maxAgeMs: 3_600_000 });
    cache.set("token", {
      claims: fakeClaims({ accessTokenExpiresAt: now + 1000 }),
      exp: now / 1000 + 600,
    });
    cache.set("jwt", {
      claims: fakeClaims({ accessTokenExpiresAt: now + 600_000 }),
      exp: now / 1000 + 2,
    });
    cache.set("long", {
      claims: fakeClaims({ accessTokenExpiresAt: now + 3_600_000 }),
      exp: now / 1000 + 3600,
    });
    now += 1500;
    expect(cache.get("token")).toBeUndefined();
    expect(cache.get("jwt")).toBeDefined();
    now += 1000;
    expect(cache.get("jwt")).toBeUndefined();
    now += 300_000;
    expect(cache.get("long")).toBeUndefined();
  });
});

describe("clearSessionCookies", () => {
  it("A9 deletes the whole cookie and every chunk with next-auth's attributes", () => {
    expect(
      clearSessionCookies(
        "__Host-next-auth.session-token",
        ["__Host-next-auth.session-token.0", "__Host-next-auth.session-token.1"],
        true,
      ),
    ).toEqual([
      "__Host-next-auth.session-token=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; SameSite=Lax; Secure",
      "__Host-next-auth.session-token.0=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; SameSite=Lax; Secure",
      "__Host-next-auth.session-token.1=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; SameSite=Lax; Secure",
    ]);
  });
});
