import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { loadBffConfig } from "../src/lib/config/bff-config.js";
import { createAuthProxy } from "../src/lib/proxy/auth-proxy.js";
import { type BffCore as Bff, createBffCore as createBff } from "../src/lib/bff/bff.js";
import { memoryEndedSessionStore } from "../src/lib/session/ended-sessions.js";
import { sampleClaims } from "./helpers/claims.js";

const bff: Bff = createBff({
  config: loadBffConfig({
    UPSTREAM_URL: "http://127.0.0.1:9",
    UPSTREAM_CLIENT_ID: "c",
    UPSTREAM_CLIENT_SECRET: "s",
    NEXTAUTH_URL: "http://localhost:3000",
    NEXTAUTH_SECRET: "p".repeat(40),
  }),
  endedSessions: memoryEndedSessionStore(),
});
const proxy = createAuthProxy({ getBff: () => bff, protectedPaths: ["/account"] });

async function requestWith(path: string, claims?: object, headers: Record<string, string> = {}) {
  const cookie = claims
    ? `${bff.cookieName}=${await encode({ token: { ...claims }, secret: bff.config.secret })}`
    : "";
  return new NextRequest(`http://localhost:3000${path}`, { headers: { cookie, ...headers } });
}

describe("auth proxy", () => {
  it("redirects a signed-out request for a protected page to /login with a safe callbackUrl", async () => {
    const response = await proxy(await requestWith("/account/x?tab=1"));
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe(
      "http://localhost:3000/login?callbackUrl=%2Faccount%2Fx%3Ftab%3D1",
    );
  });

  it("A8 lets public pages through and does not count an idle session's cookie as signed in", async () => {
    expect((await proxy(await requestWith("/"))).headers.get("x-middleware-next")).toBe("1");
    const idle = sampleClaims({ lastActivityAt: 0 });
    expect((await proxy(await requestWith("/account", idle))).status).toBe(307);
  });

  it("records activity by re-issuing the cookie and handing it to the render", async () => {
    const now = Math.floor(Date.now() / 1000);
    const response = await proxy(
      await requestWith("/account", sampleClaims({ lastActivityAt: now - 120 })),
    );
    expect(response.headers.get("x-middleware-next")).toBe("1");
    const setCookie = response.headers.get("set-cookie") ?? "";
    expect(setCookie).toContain(`${bff.cookieName}=`);
    expect(setCookie.toLowerCase()).toContain("httponly");
    expect(response.headers.get("x-middleware-request-cookie")).toContain(bff.cookieName);
    const state = await bff.readSession(
      (response.headers.get("x-middleware-request-cookie") ?? "").split("; ").map((pair) => {
        const [name = "", ...rest] = pair.split("=");
        return { name, value: rest.join("=") };
      }),
    );
    expect(state.status === "active" && state.claims.lastActivityAt).toBeGreaterThanOrEqual(now);
  });

  it("A8 does not count prefetches or recent activity", async () => {
    const now = Math.floor(Date.now() / 1000);
    const old = sampleClaims({ lastActivityAt: now - 120 });
    const prefetch = await proxy(
      await requestWith("/account", old, { "next-router-prefetch": "1" }),
    );
    expect(prefetch.headers.get("set-cookie")).toBeNull();
    const recent = await proxy(
      await requestWith("/account", sampleClaims({ lastActivityAt: now })),
    );
    expect(recent.headers.get("set-cookie")).toBeNull();
  });
});
