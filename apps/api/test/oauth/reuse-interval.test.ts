import { readFileSync, existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { startTestApi, type TestApi } from "../helpers/test-api.js";
import {
  expectBearerRefused,
  expectOAuthError,
  login,
  pairOf,
  refresh,
  refreshRow,
  revoke,
  webClient,
  userinfo,
  type JsonResponse,
  addOtherClient,
  revokedAnswer,
  otherClient,
} from "./oauth-client.js";

/**
 * REFRESH_REUSE_INTERVAL (default 30 s): a refresh token just rotated, presented again by its
 * client, gets the first answer again instead of revoking its family, so a BFF whose refresh
 * answer was lost can retry and adopt it (security catalogue C8's optional grace window).
 */

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  addOtherClient(api);
});
afterAll(async () => {
  await api.close();
});

function familyRows(target: TestApi, refreshToken: string): number {
  const family = refreshRow(target, refreshToken)?.family;
  const row = target.services.db
    .prepare("SELECT COUNT(*) AS n FROM oauth_tokens WHERE family = ?")
    .get(family) as { n: number };
  return row.n;
}

/** The 200 answer of a refresh, as a client sees it. */
function answer(response: JsonResponse): Record<string, unknown> {
  pairOf(response);
  return response.body;
}

describe("C8 refresh-token reuse interval", () => {
  it("C8 a retry inside the interval gets the identical answer, and the family stays live", async () => {
    const first = await login(api, "alice", "alice-password", "openid editor");
    const original = answer(await refresh(api, first.refreshToken));
    const rows = familyRows(api, first.refreshToken);

    const retried = await refresh(api, first.refreshToken);
    expect(answer(retried)).toStrictEqual(original);
    expect(Object.keys(original)).toStrictEqual([
      "token_type",
      "expires_in",
      "access_token",
      "refresh_token",
      "id_token",
    ]);
    expect(familyRows(api, first.refreshToken)).toBe(rows); // nothing new was issued

    const adopted = pairOf(retried);
    expect((await userinfo(api, adopted.accessToken)).status).toBe(200);
    const next = pairOf(await refresh(api, adopted.refreshToken));
    expect((await userinfo(api, next.accessToken)).status).toBe(200);
  });

  it("C8 two concurrent presentations of the same token inside the interval both get the same pair", async () => {
    const first = await login(api);
    const responses = await Promise.all([
      refresh(api, first.refreshToken),
      refresh(api, first.refreshToken),
      refresh(api, first.refreshToken),
    ]);
    const [one, ...others] = responses.map(answer);
    for (const other of others) expect(other).toStrictEqual(one);
    // One rotation: the first pair plus one new pair.
    expect(familyRows(api, first.refreshToken)).toBe(4);
    const pair = pairOf(responses[0]);
    expect(pairOf(await refresh(api, pair.refreshToken)).accessToken).not.toBe(pair.accessToken);
  });

  it("C8 C9 a client other than the one that owns the token gets nothing, and the family stays live", async () => {
    const first = await login(api);
    const second = pairOf(await refresh(api, first.refreshToken));
    const stolen = await refresh(api, first.refreshToken, otherClient);
    expectOAuthError(stolen, 400, {
      error: "invalid_grant",
      error_description: "The refresh token is invalid.",
      hint: "Token is not linked to client",
    });
    expect(stolen.text).not.toContain(second.accessToken);
    expect(stolen.text).not.toContain(second.refreshToken);
    expect((await userinfo(api, second.accessToken)).status).toBe(200);
    expect((await refresh(api, second.refreshToken)).status).toBe(200);
  });

  it("C8 once the new refresh token has been used, the old one is a reuse again: the family is revoked", async () => {
    const first = await login(api);
    const second = pairOf(await refresh(api, first.refreshToken));
    const third = pairOf(await refresh(api, second.refreshToken));
    expectOAuthError(await refresh(api, first.refreshToken), 400, revokedAnswer);
    expectOAuthError(await refresh(api, third.refreshToken), 400, revokedAnswer);
    expectBearerRefused(await userinfo(api, third.accessToken));
  });

  it("C8 A9 after a sign-out the retry gets nothing", async () => {
    const first = await login(api);
    const second = pairOf(await refresh(api, first.refreshToken));
    expect((await revoke(api, { token: second.refreshToken, ...webClient })).status).toBe(200);
    const retried = await refresh(api, first.refreshToken);
    expectOAuthError(retried, 400, revokedAnswer);
    expect(retried.text).not.toContain(second.refreshToken);
  });

  it("C8 C11 the remembered answer is kept in memory only: no token of it reaches the database files", async () => {
    const first = await login(api);
    const second = pairOf(await refresh(api, first.refreshToken));
    pairOf(await refresh(api, first.refreshToken));
    expect(api.services.refreshReuse.size()).toBeGreaterThan(0);
    api.services.db.pragma("wal_checkpoint(PASSIVE)");
    for (const file of [api.databasePath, `${api.databasePath}-wal`]) {
      if (!existsSync(file)) continue;
      const bytes = readFileSync(file).toString("latin1");
      expect(bytes.includes(second.refreshToken)).toBe(false);
      expect(bytes.includes(second.accessToken.split(".")[2] ?? "-")).toBe(false);
    }
  });
});

describe("C8 after the reuse interval", () => {
  let short: TestApi;
  beforeAll(async () => {
    short = await startTestApi({ REFRESH_REUSE_INTERVAL: "1" });
  });
  afterAll(async () => {
    await short.close();
  });

  it("C8 a retry after the interval revokes the family, as without one", async () => {
    const first = await login(short);
    const second = pairOf(await refresh(short, first.refreshToken));
    await sleep(1100);
    expect(short.services.refreshReuse.size()).toBe(0);
    expectOAuthError(await refresh(short, first.refreshToken), 400, revokedAnswer);
    expectOAuthError(await refresh(short, second.refreshToken), 400, revokedAnswer);
    expectBearerRefused(await userinfo(short, second.accessToken));
  });

  it("REFRESH_REUSE_INTERVAL is 30 by default, 0 turns it off, at most 600", () => {
    expect(loadConfig({}).refreshReuseInterval).toBe(30);
    expect(loadConfig({ REFRESH_REUSE_INTERVAL: "0" }).refreshReuseInterval).toBe(0);
    expect(() => loadConfig({ REFRESH_REUSE_INTERVAL: "601" })).toThrow(/REFRESH_REUSE_INTERVAL/);
    expect(() => loadConfig({ REFRESH_REUSE_INTERVAL: "-1" })).toThrow(/REFRESH_REUSE_INTERVAL/);
  });
});
