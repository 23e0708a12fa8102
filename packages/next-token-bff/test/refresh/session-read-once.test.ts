import { randomBytes } from "node:crypto";
import type * as Jose from "jose";
import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { loadBffConfig } from "../../src/lib/config/bff-config.js";
import type { UpstreamProvider, UpstreamTokens } from "../../src/lib/providers/types.js";
import { createAuthProxy } from "../../src/lib/proxy/auth-proxy.js";
import { createMemoryRefreshCoordinator } from "../../src/lib/refresh/memory-coordinator.js";
import { createSessionRefreshProxy } from "../../src/lib/refresh/refresh-proxy.js";
import { createSessionRefresher } from "../../src/lib/refresh/session-refresh.js";
import { type BffCore as Bff, createBffCore as createBff } from "../../src/lib/bff/bff.js";
import type { SessionClaims } from "../../src/lib/session/claims.js";
import {
  type EndedSessionStore,
  memoryEndedSessionStore,
} from "../../src/lib/session/ended-sessions.js";
import { sampleClaims } from "../helpers/claims.js";

// Counts every session decrypt made by the library (its decoder is the only caller of jose's
// `jwtDecrypt`; next-auth's own `encode`, used here to make cookies, does not go through it).
const decrypts = vi.hoisted(() => ({ count: 0 }));
vi.mock("jose", async (importOriginal) => {
  const jose = await importOriginal<typeof Jose>();
  return {
    ...jose,
    jwtDecrypt: (...args: Parameters<typeof jose.jwtDecrypt>) => {
      decrypts.count += 1;
      return jose.jwtDecrypt(...args);
    },
  };
});

/** The ended-session list, counting lookups (a Redis round trip each when REDIS_URL is set). */
function countingEndedSessions(): EndedSessionStore & { lookups: number } {
  const store = memoryEndedSessionStore();
  const counting = {
    lookups: 0,
    endSession: (...args: Parameters<EndedSessionStore["endSession"]>) => store.endSession(...args),
    endUserSessions: (...args: Parameters<EndedSessionStore["endUserSessions"]>) =>
      store.endUserSessions(...args),
    isEnded(session: Parameters<EndedSessionStore["isEnded"]>[0]) {
      counting.lookups += 1;
      return store.isEnded(session);
    },
  };
  return counting;
}

/** An upstream whose refresh answers after `ms` with new tokens, and counts the calls. */
function fakeProvider(ms = 20): UpstreamProvider & { refreshes: number } {
  const refused = () => Promise.reject(new Error("not used in this test"));
  const provider = {
    id: "fake",
    refreshes: 0,
    signIn: refused,
    fetchUser: refused,
    revoke: async () => {},
    classify: () => "accepted" as const,
    async refresh(): Promise<UpstreamTokens> {
      provider.refreshes += 1;
      await new Promise((resolve) => setTimeout(resolve, ms));
      return {
        accessToken: `access-${randomBytes(6).toString("hex")}`,
        accessTokenExpiresAt: Date.now() + 300_000,
        refreshToken: `refresh-${randomBytes(6).toString("hex")}`,
        refreshTokenExpiresAt: Date.now() + 3_600_000,
      };
    },
  };
  return provider;
}

const endedSessions = countingEndedSessions();
const provider = fakeProvider();
const bff: Bff = createBff({
  config: loadBffConfig({
    UPSTREAM_URL: "http://127.0.0.1:9",
    UPSTREAM_CLIENT_ID: "c",
    UPSTREAM_CLIENT_SECRET: "s",
    NEXTAUTH_URL: "http://localhost:3000",
    NEXTAUTH_SECRET: "r".repeat(40),
  }),
  provider,
  endedSessions,
  log: () => {},
});
const getBff = () => bff;
const refresher = createSessionRefresher({
  getBff,
  coordinator: createMemoryRefreshCoordinator({ secret: bff.config.secret }),
});
const authProxy = createAuthProxy({ getBff, protectedPaths: ["/account"] });
const navigation = createSessionRefreshProxy({ getBff, refresher, next: authProxy.withSession });

/** Claims with their own refresh token (the single-flight state is per process). */
function claimsWith(overrides: Partial<SessionClaims> = {}): SessionClaims {
  return sampleClaims({ refreshToken: `refresh-${randomBytes(6).toString("hex")}`, ...overrides });
}

async function cookieFor(claims: SessionClaims): Promise<string> {
  const value = await encode({ token: { ...claims }, secret: bff.config.secret });
  return `${bff.cookieName}=${value}`;
}

function pageRequest(path: string, cookie: string): NextRequest {
  return new NextRequest(`http://localhost:3000${path}`, { headers: { cookie } });
}

function sessionSetCookies(response: Response): string[] {
  return response.headers.getSetCookie().filter((line) => line.startsWith(`${bff.cookieName}=`));
}

beforeEach(() => {
  decrypts.count = 0;
  endedSessions.lookups = 0;
  provider.refreshes = 0;
});

describe("issue 7: proxy.ts reads and checks the session once per navigation", () => {
  it("a live session: one decrypt, one ended-list lookup, and the activity is still recorded", async () => {
    const now = Math.floor(Date.now() / 1000);
    const cookie = await cookieFor(claimsWith({ lastActivityAt: now - 120 }));
    const response = await navigation(pageRequest("/account", cookie));
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(sessionSetCookies(response)).toHaveLength(1);
    expect(decrypts.count).toBe(1);
    expect(endedSessions.lookups).toBe(1);
  });

  it("a due token: refreshed and the new session handed to the auth proxy, still one decrypt and one lookup", async () => {
    const cookie = await cookieFor(claimsWith({ accessTokenExpiresAt: Date.now() - 1_000 }));
    const response = await navigation(pageRequest("/account", cookie));
    expect(provider.refreshes).toBe(1);
    expect(response.headers.get("location")).toBeNull();
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(sessionSetCookies(response)).toHaveLength(1);
    expect(response.headers.get("x-middleware-request-cookie")).toContain(bff.cookieName);
    expect(decrypts.count).toBe(1);
    expect(endedSessions.lookups).toBe(1);
  });

  it("an ended session on a protected page goes to /login after one lookup", async () => {
    const claims = claimsWith();
    await bff.endSession(claims);
    const response = await navigation(pageRequest("/account", await cookieFor(claims)));
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe(
      "http://localhost:3000/login?callbackUrl=%2Faccount",
    );
    expect(decrypts.count).toBe(1);
    expect(endedSessions.lookups).toBe(1);
  });

  it("without a session cookie nothing is decrypted and protected pages go to /login", async () => {
    const response = await navigation(pageRequest("/account", ""));
    expect(response.status).toBe(307);
    expect(decrypts.count).toBe(0);
  });

  it("createAuthProxy used alone still reads and checks the session itself", async () => {
    const live = await authProxy(pageRequest("/account", await cookieFor(claimsWith())));
    expect(live.headers.get("x-middleware-next")).toBe("1");
    const ended = claimsWith();
    await bff.endSession(ended);
    expect((await authProxy(pageRequest("/account", await cookieFor(ended)))).status).toBe(307);
    expect(decrypts.count).toBe(2);
    expect(endedSessions.lookups).toBe(2);
  });

  it("the refresher decrypts with the BFF's decoder (its key derived once per BFF)", async () => {
    const decodeSession = vi.fn(bff.decodeSession);
    const spied = createSessionRefresher({
      getBff: () => ({ ...bff, decodeSession }),
      coordinator: refresher.coordinator,
    });
    const result = await spied.refreshIfDue({ cookieHeader: await cookieFor(claimsWith()) });
    expect(result.status).toBe("not_due");
    expect(decodeSession).toHaveBeenCalledTimes(1);
  });
});

describe("issue 7: a refresh storm encrypts the new session once", () => {
  it("100 requests with the same expired cookie: one refresh, one encryption, the same cookie for all", async () => {
    const cookie = await cookieFor(claimsWith({ accessTokenExpiresAt: Date.now() - 1_000 }));
    const now = Date.now();
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        refresher.refreshIfDue({ cookieHeader: cookie, recordActivity: true, now }),
      ),
    );
    expect(provider.refreshes).toBe(1);
    expect(results.every((result) => result.status === "refreshed")).toBe(true);
    const values = new Set(
      results.map((result) =>
        result.status === "refreshed" ? result.cookies.set.map((part) => part.value).join("") : "",
      ),
    );
    // JWE encryption is randomised (IV, jti): equal values mean one encryption was shared.
    expect(values.size).toBe(1);
  });

  it("requests that end with different claims (a prefetch records no activity) do not share", async () => {
    const now = Date.now();
    const claims = claimsWith({
      accessTokenExpiresAt: now - 1_000,
      lastActivityAt: Math.floor(now / 1000) - 120,
    });
    const cookie = await cookieFor(claims);
    const [navigated, prefetched] = await Promise.all([
      refresher.refreshIfDue({ cookieHeader: cookie, recordActivity: true, now }),
      refresher.refreshIfDue({ cookieHeader: cookie, recordActivity: false, now }),
    ]);
    expect(provider.refreshes).toBe(1);
    if (navigated.status !== "refreshed" || prefetched.status !== "refreshed") {
      throw new Error("both requests should have been refreshed");
    }
    expect(navigated.claims.lastActivityAt).toBe(Math.floor(now / 1000));
    expect(prefetched.claims.lastActivityAt).toBe(claims.lastActivityAt);
    expect(navigated.cookies.set[0]?.value).not.toBe(prefetched.cookies.set[0]?.value);
  });
});

describe("a navigation close to the refresh boundary", () => {
  // skew 30 s (default); the token is due in 5 s, i.e. it expires in 35 s.
  const nearlyDue = (lastActivityAgoSeconds: number) => {
    const now = Date.now();
    return {
      now,
      claims: claimsWith({
        accessTokenExpiresAt: now + refresher.skewMs + 5_000,
        lastActivityAt: Math.floor(now / 1000) - lastActivityAgoSeconds,
      }),
    };
  };

  it("refreshes early when it would write the cookie for activity, so it never writes back tokens a concurrent refresh is replacing", async () => {
    const { now, claims } = nearlyDue(120);
    const cookieHeader = await cookieFor(claims);
    const result = await refresher.refreshIfDue({ cookieHeader, recordActivity: true, now });
    expect(result.status).toBe("refreshed");
    expect(provider.refreshes).toBe(1);
  });

  it("waits for the due time when nothing would be written (recent activity, or a background call)", async () => {
    const recent = nearlyDue(10);
    const quiet = await refresher.refreshIfDue({
      cookieHeader: await cookieFor(recent.claims),
      recordActivity: true,
      now: recent.now,
    });
    const stale = nearlyDue(120);
    const background = await refresher.refreshIfDue({
      cookieHeader: await cookieFor(stale.claims),
      recordActivity: false,
      now: stale.now,
    });
    expect([quiet.status, background.status]).toEqual(["not_due", "not_due"]);
    expect(provider.refreshes).toBe(0);
  });
});
