import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoUsers } from "../support/context";
import {
  type ApiServer,
  type Server,
  newSecret,
  startApi,
  startWeb,
} from "../support/refresh-servers";
import { csrfToken, newJar, postCredentials } from "./http-signin";
import { ifStarted } from "../../../../test-support/hooks.js";

/**
 * C1 through the BFF, with the default limits of both limiters (Drupal's flood control: 5 wrong
 * passwords per (account, address) in 6 h, 50 per address in 1 h; the account-wide count only
 * slows down). The web servers sit behind one trusted proxy (TRUSTED_PROXY_HOPS=1; the test
 * plays that proxy by writing X-Forwarded-For) and send the browser's address on to the API,
 * which trusts them (TRUSTED_PROXIES=loopback). Each limiter is shown on its own:
 * - `library`: the library's limits refuse first (what holds in front of a Drupal, whose
 *   password grant counts nothing); its refusals are the "refused by the sign-in limits" lines.
 * - `forwarding`: the library's limits are out of reach, so every attempt reaches the API and
 *   the API's own limiter answers (its 429 comes through as `too_many_attempts`).
 * - `direct`: TRUSTED_PROXY_HOPS=0 (browsers connect directly): no address goes upstream.
 */
let apiOfLibrary: ApiServer;
let apiOfForwarding: ApiServer;
let library: Server;
let forwarding: Server;
let direct: Server;

beforeAll(async () => {
  [apiOfLibrary, apiOfForwarding] = await Promise.all([
    // The API's own slow-down is off here, so the timings below are the library's.
    startApi({
      accessTokenTtl: 300,
      maxSeconds: 300,
      env: { TRUSTED_PROXIES: "loopback", LOGIN_SLOWDOWN_MAX_MS: "0" },
    }),
    startApi({
      accessTokenTtl: 300,
      maxSeconds: 300,
      env: { TRUSTED_PROXIES: "loopback", LOG_LEVEL: "info" },
    }),
  ]);
  const behindOneProxy = { TRUSTED_PROXY_HOPS: "1" };
  const web = (api: ApiServer, env: Record<string, string>) =>
    startWeb({ apiUrl: api.url, secret: newSecret(), maxSeconds: 300, outputLimit: Infinity, env });
  [library, forwarding, direct] = await Promise.all([
    web(apiOfLibrary, behindOneProxy),
    web(apiOfForwarding, {
      ...behindOneProxy,
      SIGN_IN_LIMIT_PER_ACCOUNT_ADDRESS: "1000",
      SIGN_IN_LIMIT_PER_ADDRESS: "1000",
      SIGN_IN_LIMIT_ACCOUNT_DELAY_MAX: "0",
    }),
    web(apiOfForwarding, { TRUSTED_PROXY_HOPS: "0" }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all(
    [library, forwarding, direct].map(async (server) => {
      await ifStarted(server)?.stop();
    }),
  );
  await Promise.all(
    [apiOfLibrary, apiOfForwarding].map(async (api) => {
      await ifStarted(api)?.stop();
    }),
  );
});

/**
 * One form post to the credentials callback, as a script would send it; returns next-auth's
 * verdict: "signed-in", or the `error` parameter of the sign-in page it sends the browser to.
 */
async function signIn(
  web: Server,
  username: string,
  password: string,
  forwardedFor: string,
): Promise<string> {
  const jar = newJar();
  const csrf = await csrfToken(web.url, jar);
  const response = await postCredentials(
    web.url,
    jar,
    { csrfToken: csrf, username, password, callbackUrl: `${web.url}/`, json: "true" },
    { "x-forwarded-for": forwardedFor },
  );
  const { url } = (await response.json()) as { url: string };
  return new URL(url).searchParams.get("error") ?? "signed-in";
}

/** The right password, timed. */
async function timedSignIn(
  web: Server,
  user: { username: string; password: string },
  from: string,
) {
  const started = Date.now();
  const verdict = await signIn(web, user.username, user.password, from);
  return { verdict, seconds: (Date.now() - started) / 1000 };
}

/** Verdicts of `count` wrong passwords for `username` from one address, one after another. */
async function wrongPasswords(web: Server, username: string, from: string, count: number) {
  const verdicts: string[] = [];
  for (let i = 0; i < count; i += 1) {
    verdicts.push(await signIn(web, username, `wrong-password-${i}`, from));
  }
  return verdicts;
}

const refusals = (web: Server) =>
  web
    .output()
    .split("\n")
    .filter((line) => line.includes("refused by the sign-in limits")).length;

const { alice, bob, admin } = demoUsers;

describe("C1 lockout that strangers cannot trigger, through the BFF login", () => {
  it("C1 library limiter: 50 wrong passwords for alice from one address are refused after 5 (6 h wait); alice signs in at once from another address", async () => {
    const verdicts = await wrongPasswords(library, alice.username, "198.51.100.1", 50);
    expect(verdicts.slice(0, 5)).toEqual(Array<string>(5).fill("invalid_credentials"));
    for (const verdict of verdicts.slice(5)) expect(verdict).toMatch(/^too_many_attempts:\d+$/);
    expect(Number(verdicts[49]?.split(":")[1])).toBeGreaterThan(21_000);
    // The library refused the 45 itself: the API never saw them.
    expect(refusals(library)).toBe(45);
    // The right password from that address waits too; from another address it signs in at once.
    expect(await signIn(library, alice.username, alice.password, "198.51.100.1")).toMatch(
      /^too_many_attempts:/,
    );
    const other = await timedSignIn(library, alice, "198.51.100.2");
    expect(other.verdict).toBe("signed-in");
    expect(other.seconds).toBeLessThan(3);
  });

  it("C1 API limiter: with every attempt reaching the API, 50 wrong passwords for alice from one address are refused there after 5; alice signs in from another address", async () => {
    const verdicts = await wrongPasswords(forwarding, alice.username, "198.51.100.11", 50);
    expect(verdicts.slice(0, 5)).toEqual(Array<string>(5).fill("invalid_credentials"));
    for (const verdict of verdicts.slice(5)) expect(verdict).toMatch(/^too_many_attempts:\d+$/);
    expect(refusals(forwarding)).toBe(0);
    // The API may slow the account down (capped at 5 s), never refuse it from another address.
    const other = await timedSignIn(forwarding, alice, "198.51.100.12");
    expect(other.verdict).toBe("signed-in");
    expect(other.seconds).toBeLessThan(7);
  });

  it("C1 an address is refused after 50 wrong passwords over many names (spraying); other browsers sign in", async () => {
    for (let i = 0; i < 50; i += 1) {
      expect(await signIn(library, `sprayed-${i}`, "wrong-password", "198.51.100.20")).toBe(
        "invalid_credentials",
      );
    }
    const refused = await signIn(library, "sprayed-50", "wrong-password", "198.51.100.20");
    expect(refused).toMatch(/^too_many_attempts:\d+$/);
    expect(Number(refused.split(":")[1])).toBeGreaterThan(3000);
    expect(await signIn(library, admin.username, admin.password, "198.51.100.21")).toBe(
      "signed-in",
    );
  });

  it("C1 X-Forwarded-For is trusted only from our own proxy hop: entries a client writes before it do not reset the count", async () => {
    const verdicts: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      verdicts.push(await signIn(library, bob.username, "wrong", `10.0.${i}.1, 198.51.100.30`));
    }
    expect(verdicts.slice(0, 5)).toEqual(Array<string>(5).fill("invalid_credentials"));
    expect(verdicts[5]).toMatch(/^too_many_attempts:/);
  });

  it("C1 failures of one account from many addresses (credential stuffing) only slow its sign-ins down, never refuse them", async () => {
    // 12 addresses, one wrong password each: past the default 10, every sign-in of the
    // account waits 1 s doubling (4 s here) before the password is checked.
    for (let i = 0; i < 12; i += 1) {
      expect(await signIn(library, admin.username, "wrong", `203.0.113.${i + 1}`)).toBe(
        "invalid_credentials",
      );
    }
    const owner = await timedSignIn(library, admin, "198.51.100.40");
    expect(owner.verdict).toBe("signed-in");
    expect(owner.seconds).toBeGreaterThanOrEqual(3.9);
    expect(owner.seconds).toBeLessThan(20);
    expect(library.output()).toContain("sign-in slowed down by the account's failed sign-ins");
  });

  it("C1 with TRUSTED_PROXY_HOPS=0 no client address is sent upstream; behind a proxy the browser's is", async () => {
    await signIn(direct, "hops-zero-probe", "wrong", "203.0.113.77");
    await signIn(forwarding, "hops-one-probe", "wrong", "203.0.113.78");
    const lines = apiOfForwarding.output().split("\n");
    const ipOf = (name: string) => {
      const line = lines.find((entry) => entry.includes(`"username":"${name}"`));
      return line === undefined ? undefined : (JSON.parse(line) as { ip?: string }).ip;
    };
    expect(ipOf("hops-zero-probe")).toBe("127.0.0.1");
    expect(ipOf("hops-one-probe")).toBe("203.0.113.78");
  });
});
