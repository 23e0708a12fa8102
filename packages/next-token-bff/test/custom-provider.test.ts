/**
 * How to write a provider for an API of another shape: JSON bodies, `expires` in epoch
 * milliseconds, answers wrapped in `{data: …}`. The building blocks (`callUpstream`,
 * `classifyAnswer`, `BffError`) do the HTTP and the error model; the provider only maps shapes.
 */
import { afterEach, expect, it } from "vitest";
import { BffError } from "../src/lib/errors/bff-error.js";
import {
  type UpstreamProvider,
  type UpstreamTokens,
  callUpstream,
  classifyAnswer,
} from "../src/providers.js";
import { startFakeUpstream } from "./helpers/fake-upstream.js";

interface Envelope<T> {
  data: T;
}
interface SessionBody {
  token: string;
  renew: string;
  expires: number;
}

function createAcmeProvider(baseUrl: string): UpstreamProvider {
  const toTokens = (body: unknown): UpstreamTokens => {
    const { data } = body as Envelope<SessionBody>;
    return {
      accessToken: data.token,
      accessTokenExpiresAt: data.expires,
      refreshToken: data.renew,
      refreshTokenExpiresAt: null,
    };
  };
  return {
    id: "acme",
    async signIn({ username, password }) {
      const res = await callUpstream(`${baseUrl}/sessions`, {
        json: { login: username, password },
      });
      if (res.status === 401) throw new BffError("invalid_credentials", "acme refused");
      if (res.status !== 201)
        throw new BffError("upstream_unavailable", `acme answered ${res.status}`);
      return toTokens(res.body);
    },
    async refresh(refreshToken) {
      const res = await callUpstream(`${baseUrl}/sessions/renew`, {
        json: { renew: refreshToken },
      });
      if (res.status !== 201) throw new BffError("session_expired", "acme refused the renewal");
      return toTokens(res.body);
    },
    async revoke(tokens) {
      await callUpstream(`${baseUrl}/sessions/current`, {
        method: "POST",
        bearer: tokens.accessToken,
      });
    },
    async fetchUser(tokens) {
      const res = await callUpstream(`${baseUrl}/me`, { bearer: tokens.accessToken });
      const { data } = res.body as Envelope<{
        id: number;
        login: string;
        fullName: string;
        groups: string[];
      }>;
      return {
        sub: String(data.id),
        username: data.login,
        name: data.fullName,
        email: null,
        roles: data.groups,
      };
    },
    classify: classifyAnswer,
  };
}

let stop: (() => Promise<void>) | undefined;
afterEach(() => stop?.());

it("a provider for a JSON, milliseconds, {data} API is a few lines of mapping", async () => {
  const expires = Date.now() + 60_000;
  const upstream = await startFakeUpstream({
    "POST /sessions": (req) =>
      (JSON.parse(req.body) as { password?: unknown }).password === "right"
        ? { status: 201, json: { data: { token: "t1", renew: "n1", expires } } }
        : { status: 401, json: { data: null } },
    "GET /me": () => ({
      json: { data: { id: 7, login: "kim", fullName: "Kim Lee", groups: ["staff"] } },
    }),
  });
  stop = upstream.close;
  const acme = createAcmeProvider(upstream.url);

  const tokens = await acme.signIn({ username: "kim", password: "right" });
  expect(tokens).toEqual({
    accessToken: "t1",
    accessTokenExpiresAt: expires,
    refreshToken: "n1",
    refreshTokenExpiresAt: null,
  });
  expect(upstream.requests[0]?.headers["content-type"]).toBe("application/json");
  expect(await acme.fetchUser(tokens)).toEqual({
    sub: "7",
    username: "kim",
    name: "Kim Lee",
    email: null,
    roles: ["staff"],
  });
  await expect(acme.signIn({ username: "kim", password: "wrong" })).rejects.toMatchObject({
    code: "invalid_credentials",
  });
});
