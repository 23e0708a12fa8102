import { describe, expect, it } from "vitest";
import { loadBffConfig } from "../src/lib/config/bff-config.js";
import { DEMO_NEXTAUTH_SECRET } from "../src/lib/config/demo-values.js";
import { BffError } from "../src/lib/errors/bff-error.js";

const valid = {
  UPSTREAM_URL: "http://127.0.0.1:4000",
  UPSTREAM_CLIENT_ID: "next-web",
  UPSTREAM_CLIENT_SECRET: "next-web-secret",
  UPSTREAM_SCOPE: "reader editor administrator",
  NEXTAUTH_URL: "https://app.example.com",
  NEXTAUTH_SECRET: "x".repeat(40),
};

function problemsOf(env: Record<string, string | undefined>): string {
  try {
    loadBffConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(BffError);
    expect((error as BffError).code).toBe("misconfigured");
    return (error as BffError).message;
  }
  throw new Error("expected the configuration to be refused");
}

describe("loadBffConfig", () => {
  it("reports every problem in one error, each with what to fix", () => {
    const message = problemsOf({ NEXTAUTH_SECRET: "short" });
    for (const name of [
      "UPSTREAM_URL",
      "UPSTREAM_CLIENT_ID",
      "UPSTREAM_CLIENT_SECRET",
      "NEXTAUTH_URL",
      "NEXTAUTH_SECRET",
    ]) {
      expect(message).toContain(name);
    }
    expect(message).toContain("openssl rand");
    expect(message).not.toContain("Invalid input");
  });

  it("reports the demo secret together with the other problems", () => {
    const message = problemsOf({ NEXTAUTH_SECRET: DEMO_NEXTAUTH_SECRET, UPSTREAM_KIND: "oauth2" });
    expect(message).toContain("NEXTAUTH_SECRET is the public demo value");
    expect(message).toContain("UPSTREAM_TOKEN_URL is required");
    expect(message).toContain("UPSTREAM_CLIENT_ID");
  });

  it("A14 refuses the demo secret outside demo mode and accepts it in demo mode", () => {
    expect(problemsOf({ ...valid, NEXTAUTH_SECRET: DEMO_NEXTAUTH_SECRET })).toContain("demo");
    expect(
      loadBffConfig({ ...valid, NEXTAUTH_SECRET: DEMO_NEXTAUTH_SECRET, DEMO_MODE: "1" }).demoMode,
    ).toBe(true);
  });

  it("A2 A8 derives secure cookies from NEXTAUTH_URL and caps the absolute lifetime at the refresh token's", () => {
    const config = loadBffConfig({
      ...valid,
      SESSION_MAX_AGE: "86400",
      UPSTREAM_REFRESH_TOKEN_TTL: "3600",
    });
    expect(config.secureCookies).toBe(true);
    expect(config.session.absoluteLifetimeSeconds).toBe(3600);
    expect(loadBffConfig({ ...valid, NEXTAUTH_URL: "http://localhost:3000" }).secureCookies).toBe(
      false,
    );
  });
});

describe("loadBffConfig: sign-in limits, client address and proxy limits (issue 20)", () => {
  it("C1 the sign-in limits default to Drupal's flood control, with a capped account delay", () => {
    expect(loadBffConfig(valid).signInLimits).toEqual({
      perAccountAndAddress: 5,
      accountWindowSeconds: 21_600,
      perAddress: 50,
      addressWindowSeconds: 3600,
      accountDelayAfter: 10,
      accountDelayMaxSeconds: 10,
    });
    expect(loadBffConfig(valid).upstreamRequests).toEqual({
      bodyTimeoutSeconds: 30,
      maxConcurrentPerSession: 16,
    });
  });

  it("C1 names the replaced account-lockout variables instead of ignoring them", () => {
    const message = problemsOf({
      ...valid,
      SIGN_IN_LIMIT_PER_ACCOUNT: "10",
      SIGN_IN_LIMIT_WINDOW: "900",
    });
    expect(message).toContain("SIGN_IN_LIMIT_PER_ACCOUNT no longer locks an account");
    expect(message).toContain("SIGN_IN_LIMIT_WINDOW was split");
  });

  it("C1 in production the app refuses to start until TRUSTED_PROXY_HOPS is written down, 0 included", () => {
    const production = { ...valid, NODE_ENV: "production" };
    expect(problemsOf(production)).toContain("TRUSTED_PROXY_HOPS must be set in production");
    expect(problemsOf({ ...production, TRUSTED_PROXY_HOPS: " " })).toContain(
      "TRUSTED_PROXY_HOPS must be set",
    );
    expect(loadBffConfig({ ...production, TRUSTED_PROXY_HOPS: "0" }).trustedProxyHops).toBe(0);
    expect(loadBffConfig({ ...production, TRUSTED_PROXY_HOPS: "2" }).trustedProxyHops).toBe(2);
    // Demo mode and development keep the default.
    expect(loadBffConfig({ ...production, DEMO_MODE: "1" }).trustedProxyHops).toBe(0);
    expect(loadBffConfig({ ...valid, NODE_ENV: "development" }).trustedProxyHops).toBe(0);
  });
});
