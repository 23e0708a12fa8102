import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwt } from "jose";
import { startTestApi, type TestApi } from "../helpers/test-api.js";
import {
  accessRow,
  expectBearerRefused,
  expectOAuthError,
  INVALID_REQUEST,
  login,
  pairOf,
  refresh,
  refreshRow,
  tokenRequest,
  userinfo,
  addOtherClient,
  revokedAnswer,
  otherClient,
} from "./oauth-client.js";

let api: TestApi;
beforeAll(async () => {
  // Strict rotation, as with Drupal: the reuse interval (reuse-interval.test.ts) is off here.
  api = await startTestApi({ REFRESH_REUSE_INTERVAL: "0" });
  addOtherClient(api);
});
afterAll(async () => {
  await api.close();
});

describe("C8 C9 refresh-token rotation", () => {
  it("rotation keeps user, scopes and family, marks the old refresh token used and revokes the old access token", async () => {
    const first = await login(api);
    const second = pairOf(await refresh(api, first.refreshToken));

    const oldRefresh = refreshRow(api, first.refreshToken);
    expect(oldRefresh).toMatchObject({ rotated: 1, revoked: 1 });
    expect(accessRow(api, first.accessToken)?.revoked).toBe(1);
    const newRefresh = refreshRow(api, second.refreshToken);
    expect(newRefresh).toMatchObject({ rotated: 0, revoked: 0, uid: 2, client_id: "next-web" });
    expect(newRefresh?.family).toBe(oldRefresh?.family);
    expect(accessRow(api, second.accessToken)?.family).toBe(oldRefresh?.family);

    const claims = decodeJwt(second.accessToken);
    expect(claims.sub).toBe("2");
    expect(claims.scope).toStrictEqual(["editor"]);
    expect((await userinfo(api, second.accessToken)).status).toBe(200);
  });

  it("replaying a rotated refresh token revokes the whole family: RT2 and AT2 die too", async () => {
    const first = await login(api);
    const second = pairOf(await refresh(api, first.refreshToken));
    expect((await userinfo(api, second.accessToken)).status).toBe(200);

    expectOAuthError(await refresh(api, first.refreshToken), 400, revokedAnswer);

    expectOAuthError(await refresh(api, second.refreshToken), 400, revokedAnswer);
    expectBearerRefused(await userinfo(api, second.accessToken));
  });

  it("a replay does not touch other sign-ins of the same user", async () => {
    const victim = await login(api);
    const other = await login(api);
    pairOf(await refresh(api, victim.refreshToken));
    expect((await refresh(api, victim.refreshToken)).status).toBe(400);
    expect((await userinfo(api, other.accessToken)).status).toBe(200);
    expect((await refresh(api, other.refreshToken)).status).toBe(200);
  });

  it("of two concurrent refreshes with the same token exactly one succeeds", async () => {
    const { refreshToken } = await login(api);
    const responses = await Promise.all([
      refresh(api, refreshToken),
      refresh(api, refreshToken),
      refresh(api, refreshToken),
    ]);
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toStrictEqual([200, 400, 400]);
    for (const loser of responses.filter((response) => response.status === 400)) {
      expect(loser.body).toStrictEqual(revokedAnswer);
    }
    // The losers count as a replay, so reuse detection also revokes the winner's new pair:
    // clients must single-flight their refreshes (security catalogue B9).
    const winner = pairOf(responses.find((response) => response.status === 200) ?? responses[0]);
    expectOAuthError(await refresh(api, winner.refreshToken), 400, revokedAnswer);
  });

  it("scope on refresh defaults to the original and may narrow it, but never widen it", async () => {
    const { refreshToken } = await login(api, "admin", "admin-password", "reader editor");
    const narrowed = pairOf(await refresh(api, refreshToken, { scope: "reader" }));
    expect(decodeJwt(narrowed.accessToken).scope).toStrictEqual(["reader"]);

    const widened = await refresh(api, narrowed.refreshToken, { scope: "reader administrator" });
    expectOAuthError(widened, 400, {
      error: "invalid_scope",
      error_description: "The requested scope is invalid, unknown, or malformed",
      hint: "Check the `administrator` scope",
    });
    // A refused scope does not consume the refresh token.
    const same = pairOf(await refresh(api, narrowed.refreshToken));
    expect(decodeJwt(same.accessToken).scope).toStrictEqual(["reader"]);
  });

  it("garbage, unknown or missing refresh tokens are refused", async () => {
    const hintDecrypt = {
      error: "invalid_grant",
      error_description: "The refresh token is invalid.",
      hint: "Cannot decrypt the refresh token",
    };
    expectOAuthError(await refresh(api, "garbage"), 400, hintDecrypt);
    expectOAuthError(await refresh(api, `def50200${"ab".repeat(400)}`), 400, hintDecrypt);
    const { accessToken } = await login(api);
    expectOAuthError(await refresh(api, accessToken), 400, hintDecrypt);

    expectOAuthError(
      await tokenRequest(api, {
        grant_type: "refresh_token",
        client_id: "next-web",
        client_secret: "next-web-secret",
      }),
      400,
      {
        error: "invalid_request",
        error_description: INVALID_REQUEST,
        hint: "Check the `refresh_token` parameter",
      },
    );
  });

  it("another client's refresh token is refused and stays usable for its owner", async () => {
    const { refreshToken } = await login(api);
    const stolen = await refresh(api, refreshToken, otherClient);
    expectOAuthError(stolen, 400, {
      error: "invalid_grant",
      error_description: "The refresh token is invalid.",
      hint: "Token is not linked to client",
    });
    expect((await refresh(api, refreshToken)).status).toBe(200);
  });

  it("an expired refresh token is refused", async () => {
    const { refreshToken } = await login(api);
    const row = refreshRow(api, refreshToken);
    api.services.db
      .prepare("UPDATE oauth_tokens SET expires = ? WHERE id = ?")
      .run(Math.floor(Date.now() / 1000) - 1, row?.id);
    expectOAuthError(await refresh(api, refreshToken), 400, {
      error: "invalid_grant",
      error_description: "The refresh token is invalid.",
      hint: "Token has expired",
    });
  });

  it("refresh without client authentication is refused with 401 invalid_client", async () => {
    const { refreshToken } = await login(api);
    const response = await tokenRequest(api, {
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      client_id: "next-web",
      client_secret: "wrong",
    });
    expectOAuthError(response, 401, {
      error: "invalid_client",
      error_description: "Client authentication failed",
    });
    expect((await refresh(api, refreshToken)).status).toBe(200);
  });

  it("a blocked user's refresh token is refused with invalid_grant", async () => {
    const testApi = await startTestApi();
    try {
      const { refreshToken } = await login(testApi, "bob", "bob-password", "reader");
      testApi.services.users.setStatus(3, false);
      const response = await refresh(testApi, refreshToken);
      expect(response.status).toBe(400);
      expect(response.body.error).toBe("invalid_grant");
      expect(response.body.error_description).toBe("The refresh token is invalid.");
      // Unblocking does not bring the revoked session back.
      testApi.services.users.setStatus(3, true);
      expectOAuthError(await refresh(testApi, refreshToken), 400, revokedAnswer);
    } finally {
      await testApi.close();
    }
  });

  it("a deleted user's refresh token is refused with invalid_grant", async () => {
    const testApi = await startTestApi();
    try {
      const { refreshToken } = await login(testApi, "bob", "bob-password", "reader");
      testApi.services.db.prepare("DELETE FROM articles WHERE uid = 3").run();
      testApi.services.db.prepare("DELETE FROM users WHERE uid = 3").run();
      const response = await refresh(testApi, refreshToken);
      expect(response.status).toBe(400);
      expect(response.body.error).toBe("invalid_grant");
    } finally {
      await testApi.close();
    }
  });

  it("tokens survive a restart of the API on the same database", async () => {
    const dir = mkdtempSync(join(tmpdir(), "oauth-restart-"));
    const databasePath = join(dir, "api.sqlite");
    try {
      const before = await startTestApi({}, { databasePath });
      const pair = await login(before);
      await before.close();

      const after = await startTestApi({}, { databasePath });
      try {
        const info = await userinfo(after, pair.accessToken);
        expect(info.status).toBe(200);
        expect(info.body.sub).toBe("2");
        const rotated = await refresh(after, pair.refreshToken);
        expect(rotated.status).toBe(200);
        expect((await userinfo(after, pairOf(rotated).accessToken)).status).toBe(200);
      } finally {
        await after.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
