import { afterEach, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../helpers/test-api.js";
import { expectOAuthError, tokenRequest, webClient, type JsonResponse } from "./oauth-client.js";

// Security catalogue C1: failed password grants are limited per (account, client address) and
// per client address (Drupal's flood control); see lockout.test.ts for what strangers cannot do.
const incorrect = {
  error: "invalid_grant",
  error_description: "The user credentials were incorrect.",
};

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function start(env: Record<string, string>): Promise<TestApi> {
  api = await startTestApi(env);
  return api;
}

function attempt(
  target: TestApi,
  username: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  return tokenRequest(
    target,
    { grant_type: "password", ...webClient, username, password, scope: "editor" },
    headers,
  );
}

/** Drupal core's user.flood windows, the defaults: per account and address 6 h, per address 1 h. */
const ACCOUNT_WINDOW = 21_600;
const ADDRESS_WINDOW = 3600;

let forwardedCounter = 0;
/** A different spoofed client address on every call. */
function spoofedForwardedFor(): Record<string, string> {
  forwardedCounter += 1;
  return { "x-forwarded-for": `203.0.113.${forwardedCounter % 250}` };
}

function expectThrottled(response: JsonResponse, windowSeconds: number): number {
  expect(response.status, response.text).toBe(429);
  const retryAfter = Number(response.headers.get("retry-after"));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
  expectOAuthError(response, 429, {
    error: "too_many_attempts",
    error_description: `Too many failed sign-in attempts. Try again in ${retryAfter} seconds.`,
  });
  return retryAfter;
}

describe("C1 brute-force limits on the password grant", () => {
  it("locks an account after the configured failures; rotating X-Forwarded-For does not help; the right password is refused while locked; others are unaffected", async () => {
    const target = await start({ LOGIN_FAILURES_PER_USER: "3", LOGIN_FAILURE_WINDOW: "600" });
    for (let i = 0; i < 3; i++) {
      expectOAuthError(
        await attempt(target, "alice", `guess-${i}`, spoofedForwardedFor()),
        400,
        incorrect,
      );
    }
    expectThrottled(await attempt(target, "alice", "guess-3", spoofedForwardedFor()), 600);
    expectThrottled(await attempt(target, "alice", "alice-password", spoofedForwardedFor()), 600);
    // Same account by e-mail, and with different letter case: same lock.
    expectThrottled(await attempt(target, "alice@example.com", "alice-password"), 600);
    expectThrottled(await attempt(target, "ALICE", "alice-password"), 600);

    // Another account from the same IP is not affected.
    expect((await attempt(target, "bob", "bob-password")).status).toBe(200);
    expectOAuthError(await attempt(target, "bob", "wrong"), 400, incorrect);
  });

  it("a burst of parallel guesses gets no more tries than the limit", async () => {
    const target = await start({ LOGIN_FAILURES_PER_USER: "3" });
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_unused, i) => attempt(target, "alice", `parallel-${i}`)),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toStrictEqual([400, 400, 400, ...Array<number>(9).fill(429)]);
    expectThrottled(await attempt(target, "alice", "alice-password"), ACCOUNT_WINDOW);
  });

  it("unknown accounts are limited the same way (no enumeration through the lock)", async () => {
    const target = await start({ LOGIN_FAILURES_PER_USER: "3" });
    for (let i = 0; i < 3; i++) {
      expectOAuthError(await attempt(target, "nobody", `guess-${i}`), 400, incorrect);
    }
    expectThrottled(await attempt(target, "nobody", "guess-3"), ACCOUNT_WINDOW);
  });

  it("only failures count, and a successful sign-in clears the account's counter", async () => {
    const target = await start({ LOGIN_FAILURES_PER_USER: "3" });
    for (let round = 0; round < 3; round++) {
      expectOAuthError(await attempt(target, "alice", "wrong-1"), 400, incorrect);
      expectOAuthError(await attempt(target, "alice", "wrong-2"), 400, incorrect);
      expect((await attempt(target, "alice", "alice-password")).status).toBe(200);
    }
    for (let i = 0; i < 3; i++) {
      expectOAuthError(await attempt(target, "alice", `wrong-${i}`), 400, incorrect);
    }
    expectThrottled(await attempt(target, "alice", "alice-password"), ACCOUNT_WINDOW);
  });

  it("limits failures per client IP across accounts (password spraying)", async () => {
    const target = await start({ LOGIN_FAILURES_PER_USER: "100", LOGIN_FAILURES_PER_IP: "4" });
    for (const username of ["u1", "u2", "alice", "bob"]) {
      expectOAuthError(
        await attempt(target, username, "Summer2026!", spoofedForwardedFor()),
        400,
        incorrect,
      );
    }
    expectThrottled(
      await attempt(target, "u5", "Summer2026!", spoofedForwardedFor()),
      ADDRESS_WINDOW,
    );
    // The IP is blocked for everybody, right password or not.
    expectThrottled(await attempt(target, "admin", "admin-password"), ADDRESS_WINDOW);
  });

  it("with default limits, five failures lock the account out from that address", async () => {
    const target = await start({});
    for (let i = 0; i < 5; i++) {
      expectOAuthError(await attempt(target, "bob", `guess-${i}`), 400, incorrect);
    }
    expectThrottled(await attempt(target, "bob", "bob-password"), ACCOUNT_WINDOW);
  });
});
