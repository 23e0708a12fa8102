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
 * C1 through the BFF: every sign-in reaches the API from the web server's address, so the API
 * alone cannot tell one browser from another. Both web servers here sit behind one trusted
 * proxy (TRUSTED_PROXY_HOPS=1; the test plays that proxy by writing X-Forwarded-For), and the
 * API trusts the web server (TRUSTED_PROXIES=loopback).
 * - `limited`: the BFF's own limits are the low ones (what holds in front of a Drupal, whose
 *   password grant counts nothing).
 * - `forwarding`: the BFF's limits are out of reach, so the API's per-address limit answers.
 */
let api: ApiServer;
let limited: Server;
let forwarding: Server;

beforeAll(async () => {
  api = await startApi({
    accessTokenTtl: 300,
    maxSeconds: 300,
    env: { TRUSTED_PROXIES: "loopback", LOGIN_FAILURES_PER_IP: "4", LOGIN_FAILURES_PER_USER: "50" },
  });
  const behindOneProxy = { TRUSTED_PROXY_HOPS: "1" };
  [limited, forwarding] = await Promise.all([
    startWeb({
      apiUrl: api.url,
      secret: newSecret(),
      maxSeconds: 300,
      env: { ...behindOneProxy, SIGN_IN_LIMIT_PER_ADDRESS: "3", SIGN_IN_LIMIT_PER_ACCOUNT: "3" },
    }),
    startWeb({
      apiUrl: api.url,
      secret: newSecret(),
      maxSeconds: 300,
      env: {
        ...behindOneProxy,
        SIGN_IN_LIMIT_PER_ADDRESS: "1000",
        SIGN_IN_LIMIT_PER_ACCOUNT: "1000",
      },
    }),
  ]);
}, 90_000);

afterAll(async () => {
  await Promise.all([ifStarted(limited)?.stop(), ifStarted(forwarding)?.stop()]);
  await ifStarted(api)?.stop();
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

const wrong = "wrong-password";

describe("C1 brute force through the BFF login", () => {
  it("C1 refuses a browser address after its limit of wrong passwords (one password sprayed over many names), with the wait; other browsers sign in", async () => {
    for (let i = 0; i < 3; i += 1) {
      expect(await signIn(limited, `sprayed-${i}`, wrong, "198.51.100.1")).toBe(
        "invalid_credentials",
      );
    }
    const refused = await signIn(limited, "sprayed-3", wrong, "198.51.100.1");
    expect(refused).toMatch(/^too_many_attempts:\d+$/);
    expect(Number(refused.split(":")[1])).toBeGreaterThan(800);
    // The right password from that address waits too; another browser is not affected.
    expect(
      await signIn(limited, demoUsers.alice.username, demoUsers.alice.password, "198.51.100.1"),
    ).toMatch(/^too_many_attempts:/);
    expect(
      await signIn(limited, demoUsers.alice.username, demoUsers.alice.password, "198.51.100.2"),
    ).toBe("signed-in");
  });

  it("C1 trusts X-Forwarded-For only from our own proxy hop: entries a client writes before it do not reset the count", async () => {
    for (let i = 0; i < 3; i += 1) {
      expect(await signIn(limited, `rotating-${i}`, wrong, `10.0.${i}.1, 198.51.100.3`)).toBe(
        "invalid_credentials",
      );
    }
    expect(await signIn(limited, "rotating-3", wrong, "10.0.9.1, 198.51.100.3")).toMatch(
      /^too_many_attempts:/,
    );
  });

  it("C1 locks an account softly after its limit of wrong passwords from any number of addresses (credential stuffing)", async () => {
    const { username, password } = demoUsers.bob;
    for (let i = 0; i < 3; i += 1) {
      expect(await signIn(limited, username, `${wrong}-${i}`, `198.51.100.${20 + i}`)).toBe(
        "invalid_credentials",
      );
    }
    // Even the right password from a fresh address waits for the window to end.
    expect(await signIn(limited, username, password, "198.51.100.30")).toMatch(
      /^too_many_attempts:\d+$/,
    );
  });

  it("C1 the API counts BFF sign-ins per browser address, so one attacker cannot lock every BFF user out", async () => {
    for (let i = 0; i < 4; i += 1) {
      expect(await signIn(forwarding, `guess-${i}`, wrong, "198.51.100.40")).toBe(
        "invalid_credentials",
      );
    }
    // The API's limit for that address (LOGIN_FAILURES_PER_IP=4) is full: its 429 comes through.
    expect(await signIn(forwarding, "guess-4", wrong, "198.51.100.40")).toMatch(
      /^too_many_attempts:\d+$/,
    );
    // Every other browser, behind the same web server, still signs in.
    const { username, password } = demoUsers.admin;
    expect(await signIn(forwarding, username, password, "198.51.100.41")).toBe("signed-in");
  });
});
