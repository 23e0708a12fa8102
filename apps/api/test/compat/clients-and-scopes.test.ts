import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { WEB_CLIENT_UUID } from "../../src/db/bootstrap.js";
import { startTestApi, TEST_ISSUER, WEB_CLIENT } from "../helpers/test-api.js";
import {
  authorizeUrl,
  browse,
  codeFor,
  CookieJar,
  exchange,
  pkce,
  webAuthorizeParams,
} from "../authorize/flow.js";
import { JSONAPI, request } from "../jsonapi/helpers.js";
import { expectOAuthError } from "../oauth/oauth-client.js";
import {
  closeModes,
  passwordGrant,
  refreshGrant,
  signIn,
  startModes,
  tokensOf,
} from "./helpers.js";
import type { Modes } from "./helpers.js";

/**
 * API_COMPAT=5 against the default (6): who the client is and what a token may do
 * (drupal-wire A.1 "client_id value", "Scopes are", "JWT scope claim", "JWT iss claim"; A.5).
 */
let modes: Modes;
beforeAll(async () => {
  modes = await startModes();
});
afterAll(async () => {
  await closeModes(modes);
});

const invalidClient = {
  error: "invalid_client",
  error_description: "Client authentication failed",
};

describe("drupal-wire A.1 the client id", () => {
  it("5.x: the consumer's UUID is the client id (form fields and HTTP Basic); `next-web` is unknown", async () => {
    const { five } = modes;
    const tokens = tokensOf(await passwordGrant(five));
    expect(tokens.claims.aud).toBe(WEB_CLIENT_UUID);

    const basic = `Basic ${Buffer.from(`${WEB_CLIENT_UUID}:${WEB_CLIENT.secret}`).toString("base64")}`;
    const viaBasic = await passwordGrant(
      five,
      { client_id: "", client_secret: "" },
      { authorization: basic },
    );
    expect(tokensOf(viaBasic).claims.aud).toBe(WEB_CLIENT_UUID);

    expectOAuthError(await passwordGrant(five, { client_id: WEB_CLIENT.id }), 401, {
      ...invalidClient,
      message: invalidClient.error_description,
    });
  });

  it("6.x: the client_id field is the client id; the UUID is unknown", async () => {
    const { six } = modes;
    expect(tokensOf(await passwordGrant(six)).claims.aud).toBe(WEB_CLIENT.id);
    expectOAuthError(await passwordGrant(six, { client_id: WEB_CLIENT_UUID }), 401, invalidClient);
  });

  it("next-web has the same UUID in every database and keeps it across restarts and modes", async () => {
    for (const api of [modes.five, modes.six]) {
      expect(api.services.clients.find(WEB_CLIENT.id)?.uuid).toBe(WEB_CLIENT_UUID);
    }
    const restarted = await startTestApi(
      { API_COMPAT: "5" },
      { databasePath: modes.six.databasePath },
    );
    try {
      expect(restarted.services.clients.findByUuid(WEB_CLIENT_UUID)?.clientId).toBe(WEB_CLIENT.id);
    } finally {
      await restarted.close();
    }
  });

  it("the authorization code flow: 5.x knows the client by its UUID, 6.x by its client_id", async () => {
    const { five, six } = modes;
    const p = pkce();
    const params = webAuthorizeParams(p, { client_id: WEB_CLIENT_UUID, scope: "openid editor" });
    const code = await codeFor(five, params, "alice");
    const tokens = tokensOf(
      await exchange(five, { code, code_verifier: p.verifier, client_id: WEB_CLIENT_UUID }),
    );
    expect(tokens.claims.aud).toBe(WEB_CLIENT_UUID);
    expect(tokens.claims.scope).toStrictEqual(["editor", "authenticated", "openid"]);

    for (const [api, unknown] of [
      [five, WEB_CLIENT.id],
      [six, WEB_CLIENT_UUID],
    ] as const) {
      const page = await browse(
        new CookieJar(),
        authorizeUrl(api, webAuthorizeParams(pkce(), { client_id: unknown })),
      );
      expect(page.status).toBe(400);
      expect(page.text).toContain("The application (client_id) is not known.");
    }
  });
});

describe("drupal-wire A.1 A.5 granted scopes", () => {
  it("5.x: the requested roles narrowed to the user's own, plus authenticated, plus OpenID Connect scopes", async () => {
    const { five } = modes;
    const all = "openid reader editor administrator";
    expect((await signIn(five, "bob", all)).claims.scope).toStrictEqual([
      "reader",
      "authenticated",
      "openid",
    ]);
    expect((await signIn(five, "alice", all)).claims.scope).toStrictEqual([
      "editor",
      "authenticated",
      "openid",
    ]);
    expect((await signIn(five, "admin", "administrator email")).claims.scope).toStrictEqual([
      "administrator",
      "authenticated",
      "email",
    ]);
    expect((await signIn(five, "alice", undefined)).claims.scope).toStrictEqual(["authenticated"]);
    expect((await signIn(five, "alice", "authenticated")).claims.scope).toStrictEqual([
      "authenticated",
    ]);
    expectOAuthError(await passwordGrant(five, { scope: "editor nonsense" }), 400, {
      error: "invalid_scope",
      error_description: "The requested scope is invalid, unknown, or malformed",
      hint: "Check the `nonsense` scope",
      message: "The requested scope is invalid, unknown, or malformed",
    });
  });

  it("6.x: the token carries every requested scope; `authenticated` is no scope", async () => {
    const { six } = modes;
    const all = "openid reader editor administrator";
    expect((await signIn(six, "bob", all)).claims.scope).toStrictEqual([
      "openid",
      "reader",
      "editor",
      "administrator",
    ]);
    expect((await signIn(six, "alice", undefined)).claims.scope).toStrictEqual([]);
    expectOAuthError(await passwordGrant(six, { scope: "authenticated" }), 400, {
      error: "invalid_scope",
      error_description: "The requested scope is invalid, unknown, or malformed",
      hint: "Check the `authenticated` scope",
    });
  });

  it("in both modes a token acts with the roles the user holds: bob reads but cannot write", async () => {
    for (const api of [modes.five, modes.six]) {
      const { accessToken } = await signIn(api, "bob", "reader editor");
      expect(
        (await request(api, "GET", "/jsonapi/node/article", { token: accessToken })).status,
      ).toBe(200);
      const write = await request(api, "POST", "/jsonapi/node/article", {
        token: accessToken,
        headers: { "content-type": JSONAPI },
        body: JSON.stringify({ data: { type: "node--article", attributes: { title: "T" } } }),
      });
      expect(write.status).toBe(403);
    }
  });

  it("5.x: a refresh keeps the finalized scopes and may narrow them", async () => {
    const { five } = modes;
    const first = await signIn(five, "alice", "openid editor reader");
    const refreshed = tokensOf(await refreshGrant(five, first.refreshToken));
    expect(refreshed.claims.scope).toStrictEqual(["editor", "authenticated", "openid"]);
    const narrowed = tokensOf(
      await refreshGrant(five, refreshed.refreshToken, { scope: "authenticated" }),
    );
    expect(narrowed.claims.scope).toStrictEqual(["authenticated"]);
  });
});

describe("drupal-wire A.1 A.4 the access token's claims", () => {
  it("5.x: `scope` an array of role names, `aud` the UUID, no `iss`; the token works on JSON:API", async () => {
    const { five } = modes;
    const { accessToken, claims, header } = await signIn(five, "alice", "editor");
    expect(header).toMatchObject({ typ: "JWT", alg: "RS256", jti: claims.jti });
    expect(claims).not.toHaveProperty("iss");
    expect(claims).toMatchObject({
      aud: WEB_CLIENT_UUID,
      sub: "2",
      scope: ["editor", "authenticated"],
    });
    const entry = await request(five, "GET", "/jsonapi", { token: accessToken });
    expect(entry.status).toBe(200);
  });

  it("6.x: `scope` the requested scopes, `aud` the client_id, `iss` the issuer", async () => {
    const { claims } = await signIn(modes.six, "alice", "editor");
    expect(claims).toMatchObject({
      aud: WEB_CLIENT.id,
      sub: "2",
      scope: ["editor"],
      iss: TEST_ISSUER,
    });
  });

  it("a token issued in 6.x mode is refused by the same database in 5.x mode (other audience)", async () => {
    const fromSix = await signIn(modes.six, "alice", "editor");
    const onFive = await startTestApi(
      { API_COMPAT: "5" },
      { databasePath: modes.six.databasePath },
    );
    try {
      const res = await request(onFive, "GET", "/jsonapi", { token: fromSix.accessToken });
      expect(res.status).toBe(401);
    } finally {
      await onFive.close();
    }
  });
});

describe("API_COMPAT", () => {
  it("is 6 by default, 5 on request, nothing else", () => {
    expect(loadConfig({}).compat).toBe(6);
    expect(loadConfig({ API_COMPAT: "5" }).compat).toBe(5);
    expect(() => loadConfig({ API_COMPAT: "4" })).toThrow(/API_COMPAT/);
  });
});
