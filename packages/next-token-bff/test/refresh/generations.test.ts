import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createBffCore } from "../../src/lib/bff/bff.js";
import { loadBffConfig } from "../../src/lib/config/bff-config.js";
import { BffError } from "../../src/lib/errors/bff-error.js";
import type { UpstreamProvider, UpstreamTokens } from "../../src/lib/providers/types.js";
import { createMemoryRefreshCoordinator } from "../../src/lib/refresh/memory-coordinator.js";
import { createSessionRefresher } from "../../src/lib/refresh/session-refresh.js";
import type { SessionClaims } from "../../src/lib/session/claims.js";
import { memorySessionGenerations } from "../../src/lib/session/session-generations.js";
import { accessTokenDue } from "../../src/lib/session/token-due.js";
import { sampleClaims } from "../helpers/claims.js";

/**
 * Session generations: every refresh makes a new generation; a request with an older cookie
 * adopts the newest tokens instead of spending a refresh token the upstream already rotated.
 */
interface RotatingUpstream extends UpstreamProvider {
  live: Set<string>;
  refreshes: number;
  reuses: number;
  failNext?: unknown;
}

/** Refresh-token rotation as servers do it: a token works once; reuse is refused. */
function rotatingUpstream(): RotatingUpstream {
  const refused = () => Promise.reject(new Error("not used in this test"));
  const upstream: RotatingUpstream = {
    id: "rotating",
    live: new Set(["refresh-0"]),
    refreshes: 0,
    reuses: 0,
    signIn: refused,
    fetchUser: refused,
    revoke: () => Promise.resolve(),
    classify: () => "accepted",
    refresh(refreshToken): Promise<UpstreamTokens> {
      if (upstream.failNext !== undefined) {
        const failure = upstream.failNext;
        upstream.failNext = undefined;
        upstream.live.delete(refreshToken); // processed upstream, answer lost on the way
        return Promise.reject(failure instanceof Error ? failure : new Error("lost"));
      }
      if (!upstream.live.delete(refreshToken)) {
        upstream.reuses += 1;
        return Promise.reject(new BffError("session_expired", "refresh token reused"));
      }
      upstream.refreshes += 1;
      const next = `refresh-${String(upstream.refreshes)}-${randomBytes(4).toString("hex")}`;
      upstream.live.add(next);
      return Promise.resolve({
        accessToken: `access-${String(upstream.refreshes)}`,
        accessTokenExpiresAt: Date.now() + 300_000,
        refreshToken: next,
        refreshTokenExpiresAt: Date.now() + 3_600_000,
      });
    },
  };
  return upstream;
}

function setup(logs: string[] = []) {
  const upstream = rotatingUpstream();
  const bff = createBffCore({
    config: loadBffConfig({
      UPSTREAM_URL: "http://127.0.0.1:9",
      UPSTREAM_CLIENT_ID: "c",
      UPSTREAM_CLIENT_SECRET: "s",
      NEXTAUTH_URL: "http://localhost:3000",
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    }),
    provider: upstream,
    generations: memorySessionGenerations(),
    log: (message) => void logs.push(message),
  });
  // A grace window of 1 ms: adoption below comes from the generation store, not the window.
  const refresher = createSessionRefresher({
    getBff: () => bff,
    coordinator: createMemoryRefreshCoordinator({
      secret: bff.config.secret,
      graceMs: 1,
      failureRetryMs: 1,
    }),
  });
  return { upstream, refresher, bff };
}

const expired = (claims: SessionClaims): SessionClaims => ({
  ...claims,
  accessTokenExpiresAt: Date.now() - 1_000,
});

async function refreshed(
  refresher: ReturnType<typeof setup>["refresher"],
  claims: SessionClaims,
): Promise<SessionClaims> {
  const result = await refresher.refreshClaims(expired(claims), { cookieHeader: null });
  if (result.status !== "refreshed") throw new Error(`expected a refresh, got ${result.status}`);
  return result.claims;
}

describe("session generations", () => {
  it("a cookie from before three refreshes adopts the newest tokens; nothing is reused upstream", async () => {
    const { upstream, refresher } = setup();
    const first = sampleClaims({ refreshToken: "refresh-0" });
    let current = first;
    for (let i = 0; i < 3; i += 1) current = await refreshed(refresher, current);
    expect(current.generation).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 5));

    const late = await refresher.refreshClaims(expired(first), { cookieHeader: null });
    expect(late.status).toBe("refreshed");
    if (late.status !== "refreshed") return;
    expect(late.role).toBe("adopted");
    expect(late.claims.generation).toBe(3);
    expect(late.claims.accessToken).toBe(current.accessToken);
    expect(late.cookies.setCookies.length).toBeGreaterThan(0);
    expect(upstream.refreshes).toBe(3);
    expect(upstream.reuses).toBe(0);

    // The newest cookie goes on working: its next refresh spends its own token.
    const next = await refreshed(refresher, current);
    expect(next.generation).toBe(4);
    expect(upstream.reuses).toBe(0);
  });

  it("a refresh whose answer was lost is retried with the same token; a refusal says the answer was lost", async () => {
    const logs: string[] = [];
    const { upstream, refresher } = setup(logs);
    const claims = sampleClaims({ refreshToken: "refresh-0" });
    upstream.failNext = new BffError("upstream_unavailable", "timed out", {
      cause: Object.assign(new Error("Headers Timeout Error"), { code: "UND_ERR_HEADERS_TIMEOUT" }),
    });
    const lost = await refresher.refreshClaims(expired(claims), { cookieHeader: null });
    expect(lost.status).toBe("unavailable");
    expect(logs.join("\n")).toMatch(/lost its answer/);
    await new Promise((resolve) => setTimeout(resolve, 5));
    // This upstream keeps no reuse interval: the retry is refused, and the log says why.
    const retry = await refresher.refreshClaims(expired(claims), { cookieHeader: null });
    expect(retry.status).toBe("expired");
    expect(logs.join("\n")).toMatch(/refresh answer was lost .* refused the retry/);
  });
});

describe("a refresh storm", () => {
  it("gives every request that shared the refresh the same new cookie (one encoding)", async () => {
    const { upstream, refresher } = setup();
    const claims = expired(sampleClaims({ refreshToken: "refresh-0" }));
    const results = await Promise.all(
      Array.from({ length: 20 }, () => refresher.refreshClaims(claims, { cookieHeader: null })),
    );
    expect(upstream.refreshes).toBe(1);
    const cookies = new Set(
      results.map((result) => (result.status === "refreshed" ? result.cookies.setCookies[0] : "")),
    );
    expect(cookies.size).toBe(1);
  });
});

describe("session reads (next-auth's jwt callback)", () => {
  it("write back the newest generation, never the older cookie they were given", async () => {
    const { refresher, bff } = setup();
    const first = sampleClaims({ refreshToken: "refresh-0" });
    const newest = await refreshed(refresher, await refreshed(refresher, first));
    const jwt = bff.authOptions.callbacks?.jwt as unknown as (params: {
      token: object;
    }) => Promise<SessionClaims>;
    const written = await jwt({ token: first });
    expect(written.generation).toBe(2);
    expect(written.accessToken).toBe(newest.accessToken);
    expect(written.refreshToken).toBe(newest.refreshToken);
  });
});

describe("refresh skew", () => {
  it("is at most half the access token's lifetime", () => {
    const issued = 1_000_000;
    const claims = { accessTokenIssuedAt: issued, accessTokenExpiresAt: issued + 20_000 };
    // A 30 s skew on a 20 s token would make it due at once; half its lifetime is 10 s.
    expect(accessTokenDue(claims, 30_000, issued + 5_000)).toBe(false);
    expect(accessTokenDue(claims, 30_000, issued + 10_000)).toBe(true);
    // Without the issue time (older cookies), the configured skew applies.
    expect(accessTokenDue({ accessTokenExpiresAt: issued + 20_000 }, 30_000, issued)).toBe(true);
  });
});
