import { describe, expect, it } from "vitest";
import { createEncodedSessionMemo } from "../../src/lib/refresh/encoded-session-memo.js";
import { sampleClaims } from "../helpers/claims.js";

/** An encoder that returns a new value per call and counts the calls. */
function countingEncoder() {
  const encoder = {
    calls: 0,
    encode: () => {
      encoder.calls += 1;
      return Promise.resolve(`value-${encoder.calls}`);
    },
  };
  return encoder;
}

describe("encoded session memo", () => {
  it("concurrent callers with the same refresh key and claims share one encoding", async () => {
    const memo = createEncodedSessionMemo();
    const encoder = countingEncoder();
    const claims = sampleClaims();
    const values = await Promise.all(
      Array.from({ length: 20 }, () => memo.valueFor("key", { ...claims }, encoder.encode)),
    );
    expect(encoder.calls).toBe(1);
    expect(new Set(values)).toEqual(new Set(["value-1"]));
  });

  it("encodes again for other claims, another refresh key, or after the TTL", async () => {
    let now = 1_000;
    const memo = createEncodedSessionMemo({ ttlMs: 5_000, now: () => now });
    const encoder = countingEncoder();
    const claims = sampleClaims();
    await memo.valueFor("key", claims, encoder.encode);
    await memo.valueFor(
      "key",
      { ...claims, lastActivityAt: claims.lastActivityAt + 1 },
      encoder.encode,
    );
    await memo.valueFor("other", claims, encoder.encode);
    expect(encoder.calls).toBe(3);
    now += 4_999;
    expect(await memo.valueFor("key", claims, encoder.encode)).toBe("value-1");
    now += 1;
    expect(await memo.valueFor("key", claims, encoder.encode)).toBe("value-4");
  });

  it("keeps at most maxEntries values, dropping the oldest", async () => {
    const memo = createEncodedSessionMemo({ maxEntries: 2 });
    const encoder = countingEncoder();
    const claims = sampleClaims();
    await memo.valueFor("a", claims, encoder.encode);
    await memo.valueFor("b", claims, encoder.encode);
    await memo.valueFor("c", claims, encoder.encode);
    expect(await memo.valueFor("c", claims, encoder.encode)).toBe("value-3");
    expect(await memo.valueFor("b", claims, encoder.encode)).toBe("value-2");
    expect(await memo.valueFor("a", claims, encoder.encode)).toBe("value-4");
  });

  it("does not remember a failed encoding", async () => {
    const memo = createEncodedSessionMemo();
    const claims = sampleClaims();
    await expect(
      memo.valueFor("key", claims, () => Promise.reject(new Error("boom"))),
    ).rejects.toThrow("boom");
    expect(await memo.valueFor("key", claims, () => Promise.resolve("fresh"))).toBe("fresh");
  });
});
