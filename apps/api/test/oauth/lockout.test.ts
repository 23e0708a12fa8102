import { afterEach, describe, expect, it } from "vitest";
import { slowdownMs } from "../../src/oauth/login-limiter.js";
import { startTestApi, type TestApi } from "../helpers/test-api.js";
import { expectOAuthError, tokenRequest, webClient, type JsonResponse } from "./oauth-client.js";

/**
 * Security catalogue C1, the lockout strangers cannot trigger: user names are public, so
 * failures count per (account, client address) and per client address, as Drupal's flood
 * control does; the account-wide counter only slows answers down (capped), it never refuses a
 * right password from an address that has not failed. The client address comes from
 * TRUSTED_PROXIES: the test plays the trusted proxy (loopback) and writes X-Forwarded-For.
 */
const incorrect = {
  error: "invalid_grant",
  error_description: "The user credentials were incorrect.",
};
const ACCOUNT_WINDOW = 21_600;
const ADDRESS_WINDOW = 3600;

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function start(env: Record<string, string> = {}): Promise<TestApi> {
  api = await startTestApi({ TRUSTED_PROXIES: "127.0.0.1", ...env });
  return api;
}

function attempt(
  target: TestApi,
  username: string,
  password: string,
  address: string,
): Promise<JsonResponse> {
  return tokenRequest(
    target,
    { grant_type: "password", ...webClient, username, password, scope: "editor" },
    { "x-forwarded-for": address },
  );
}

async function timed(run: () => Promise<JsonResponse>): Promise<[JsonResponse, number]> {
  const started = performance.now();
  const response = await run();
  return [response, performance.now() - started];
}

function expectRefused(response: JsonResponse, atMost: number, atLeast = 1): void {
  expect(response.status, response.text).toBe(429);
  const retryAfter = Number(response.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThanOrEqual(atLeast);
  expect(retryAfter).toBeLessThanOrEqual(atMost);
  expectOAuthError(response, 429, {
    error: "too_many_attempts",
    error_description: `Too many failed sign-in attempts. Try again in ${retryAfter} seconds.`,
  });
}

describe("C1 lockout that strangers cannot trigger", () => {
  it("C1 50 wrong passwords for alice from one address: that address is refused for alice, and alice signs in at once from another address", async () => {
    const target = await start();
    const attacker = "198.51.100.66";
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) {
      const response = await attempt(target, "alice", `guess-${i}`, attacker);
      statuses.push(response.status);
      if (response.status === 400) expectOAuthError(response, 400, incorrect);
      else expectRefused(response, ACCOUNT_WINDOW, ADDRESS_WINDOW);
    }
    // Drupal's user_limit: 5 failures per account and address, then that pair is refused.
    expect(statuses).toStrictEqual([...Array<number>(5).fill(400), ...Array<number>(45).fill(429)]);

    // The owner, from an address that has not failed: in, right away (only the capped delay).
    const [owner, took] = await timed(() =>
      attempt(target, "alice", "alice-password", "203.0.113.5"),
    );
    expect(owner.status, owner.text).toBe(200);
    expect(took).toBeLessThan(5000 + 2000);

    // The attacking address stays refused for alice, even with her password...
    expectRefused(await attempt(target, "alice", "alice-password", attacker), ACCOUNT_WINDOW);
    // ...but its other users are not locked out by it (5 failures < 50 per address).
    expect((await attempt(target, "bob", "bob-password", attacker)).status).toBe(200);
  });

  it("C1 an address that reaches the per-address limit (Drupal's ip_limit, 50 in 1 hour) is refused for every account; other addresses are not", async () => {
    const target = await start();
    const sprayer = "198.51.100.77";
    for (let i = 0; i < 50; i++) {
      expectOAuthError(await attempt(target, `user-${i}`, "Summer2026!", sprayer), 400, incorrect);
    }
    expectRefused(await attempt(target, "user-50", "Summer2026!", sprayer), ADDRESS_WINDOW);
    expectRefused(await attempt(target, "bob", "bob-password", sprayer), ADDRESS_WINDOW);
    expect((await attempt(target, "bob", "bob-password", "203.0.113.6")).status).toBe(200);
  });

  it("C1 failures from ever new addresses are never refused, only slowed down, and the slow-down is capped; the owner still signs in", async () => {
    const start_ = 40;
    const cap = 160;
    const target = await start({
      LOGIN_SLOWDOWN_AFTER: "2",
      LOGIN_SLOWDOWN_START_MS: String(start_),
      LOGIN_SLOWDOWN_MAX_MS: String(cap),
    });
    const durations: number[] = [];
    for (let i = 0; i < 14; i++) {
      const [response, took] = await timed(() =>
        attempt(target, "alice", `stuffed-${i}`, `198.51.100.${i + 1}`),
      );
      expectOAuthError(response, 400, incorrect);
      durations.push(took);
    }
    // Delays 0, 0, 40, 80, then 160 for ever (uncapped, the last would wait 40·2^11 ms ≈ 82 s).
    for (const [failures, took] of durations.entries()) {
      expect(took).toBeGreaterThanOrEqual(
        slowdownMs(failures, { after: 2, startMs: start_, maxMs: cap }) - 5,
      );
    }
    const fastest = Math.min(...durations.slice(0, 2));
    for (const took of durations.slice(4)) expect(took).toBeLessThan(fastest + cap + 1500);

    const [owner, took] = await timed(() =>
      attempt(target, "alice", "alice-password", "203.0.113.9"),
    );
    expect(owner.status, owner.text).toBe(200);
    expect(took).toBeGreaterThanOrEqual(cap - 5);
    expect(took).toBeLessThan(fastest + cap + 1500);
  });

  it("C1 the slow-down doubles from its start and never exceeds its cap; 0 turns it off", () => {
    const defaults = { after: 5, startMs: 500, maxMs: 5000 };
    const delays = Array.from({ length: 12 }, (_unused, failures) =>
      slowdownMs(failures, defaults),
    );
    expect(delays).toStrictEqual([0, 0, 0, 0, 0, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
    expect(slowdownMs(1_000_000, defaults)).toBe(5000);
    expect(slowdownMs(50, { ...defaults, maxMs: 0 })).toBe(0);
  });

  it("C1 a trusted proxy that sends no address (the BFF at TRUSTED_PROXY_HOPS=0) cannot be locked out: its address is everyone's", async () => {
    const target = await start({ LOGIN_SLOWDOWN_MAX_MS: "0" });
    const direct = (username: string, password: string) =>
      tokenRequest(target, {
        grant_type: "password",
        ...webClient,
        username,
        password,
        scope: "editor",
      });
    // More failures than the per-address limit (50), all from the proxy without an address.
    for (let i = 0; i < 55; i += 1) {
      const response = await direct("alice", `wrong-${String(i)}`);
      expectOAuthError(response, 400, incorrect);
    }
    expect((await direct("bob", "bob-password")).status).toBe(200);
    expect((await direct("alice", "alice-password")).status).toBe(200);
  });
});
