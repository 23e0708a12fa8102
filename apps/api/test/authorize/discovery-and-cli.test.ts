import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/run.js";
import { loadConfig } from "../../src/config.js";
import { startTestApi, TEST_ISSUER, type TestApi } from "../helpers/test-api.js";
import { tokenRequest } from "../oauth/oauth-client.js";
import {
  authorizeUrl,
  browse,
  CookieJar,
  hiddenField,
  openSignInPage,
  pkce,
  postSignIn,
} from "./flow.js";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api.close();
});

describe("GET /.well-known/openid-configuration", () => {
  it("describes the endpoints, all derived from the issuer, and what is supported", async () => {
    const response = await fetch(`${api.url}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=UTF-8");
    const doc = (await response.json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer: TEST_ISSUER,
      authorization_endpoint: `${TEST_ISSUER}oauth/authorize`,
      token_endpoint: `${TEST_ISSUER}oauth/token`,
      userinfo_endpoint: `${TEST_ISSUER}oauth/userinfo`,
      jwks_uri: `${TEST_ISSUER}oauth/jwks`,
      revocation_endpoint: `${TEST_ISSUER}oauth/revoke`,
      response_types_supported: ["code"],
      code_challenge_methods_supported: ["S256"],
      id_token_signing_alg_values_supported: ["RS256"],
      token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
      subject_types_supported: ["public"],
      authorization_response_iss_parameter_supported: true,
      request_uri_parameter_supported: false,
    });
    expect(doc.grant_types_supported).toEqual(
      expect.arrayContaining(["authorization_code", "refresh_token"]),
    );
    expect(doc.scopes_supported).toEqual(
      expect.arrayContaining(["openid", "reader", "editor", "administrator"]),
    );
    expect(
      (await fetch(`${api.url}/.well-known/openid-configuration`, { method: "POST" })).status,
    ).toBe(405);
  });

  it("follows API_ISSUER, path prefix included", async () => {
    const other = await startTestApi({ API_ISSUER: "https://example.org/drupal" });
    try {
      const doc = (await (
        await fetch(`${other.url}/.well-known/openid-configuration`)
      ).json()) as Record<string, unknown>;
      expect(doc.issuer).toBe("https://example.org/drupal/");
      expect(doc.authorization_endpoint).toBe("https://example.org/drupal/oauth/authorize");
    } finally {
      await other.close();
    }
  });
});

describe("configuration", () => {
  it("API_WEB_REDIRECT_URIS: demo default, list, and validation", () => {
    expect(loadConfig({}).webRedirectUris).toStrictEqual([
      "http://localhost:3000/api/auth/callback/upstream",
    ]);
    expect(loadConfig({ DEMO_DATA: "off" }).webRedirectUris).toStrictEqual([]);
    expect(
      loadConfig({ API_WEB_REDIRECT_URIS: " https://app.example/cb , https://app.example/cb2 " })
        .webRedirectUris,
    ).toStrictEqual(["https://app.example/cb", "https://app.example/cb2"]);
    expect(() => loadConfig({ API_WEB_REDIRECT_URIS: "https://app.example/cb#frag" })).toThrow(
      /API_WEB_REDIRECT_URIS/,
    );
    expect(() => loadConfig({ API_WEB_REDIRECT_URIS: "/relative" })).toThrow(/absolute/);
    expect(() => loadConfig({ API_WEB_REDIRECT_URIS: "javascript:alert(1)" })).toThrow(/http/);
  });

  it("next-web has the authorization_code grant, the redirect URIs and no consent page", () => {
    expect(api.services.clients.find("next-web")).toMatchObject({
      grantTypes: ["password", "refresh_token", "authorization_code"],
      redirectUris: ["http://localhost:3000/api/auth/callback/upstream"],
      automaticAuthorization: true,
    });
    expect(api.services.scopes.find("openid")).toMatchObject({ role: null });
  });
});

describe("client:add for the code flow", () => {
  function io(lines: string[]): CliIo {
    return {
      env: { DATABASE_PATH: api.databasePath, LOG_LEVEL: "silent" },
      out: (text) => lines.push(text),
      err: (text) => lines.push(text),
    };
  }

  it("refuses a code-flow client without a redirect URI, and bad redirect URIs", async () => {
    const lines: string[] = [];
    expect(await runCli(["client:add", "x", "--grant", "authorization_code"], io(lines))).toBe(2);
    expect(
      await runCli(
        [
          "client:add",
          "x",
          "--grant",
          "authorization_code",
          "--redirect-uri",
          "https://x.example/#f",
        ],
        io(lines),
      ),
    ).toBe(2);
    expect(
      await runCli(["client:add", "x", "--redirect-uri", "https://x.example/cb"], io(lines)),
    ).toBe(2);
    expect(lines.join("\n")).toContain("--redirect-uri");
  });

  it("adds a public PKCE client with two redirect URIs that signs in with consent", async () => {
    const lines: string[] = [];
    const code = await runCli(
      [
        "client:add",
        "spa",
        "--public",
        "--grant",
        "authorization_code,refresh_token",
        "--redirect-uri",
        "https://spa.example/cb",
        "--redirect-uri",
        "https://spa.example/cb?a=1,2",
        "--scope",
        "openid",
      ],
      io(lines),
    );
    expect(code, lines.join("\n")).toBe(0);
    expect(api.services.clients.find("spa")).toMatchObject({
      confidential: false,
      grantTypes: ["authorization_code", "refresh_token"],
      redirectUris: ["https://spa.example/cb", "https://spa.example/cb?a=1,2"],
      automaticAuthorization: false,
    });

    const p = pkce();
    const jar = new CookieJar();
    const params = {
      response_type: "code",
      client_id: "spa",
      redirect_uri: "https://spa.example/cb?a=1,2",
      code_challenge: p.challenge,
      code_challenge_method: "S256",
    };
    const { csrfToken, destination } = await openSignInPage(jar, authorizeUrl(api, params));
    const signedIn = await postSignIn(jar, api, {
      csrf_token: csrfToken,
      destination,
      username: "alice",
      password: "alice-password",
    });
    const consent = await browse(jar, signedIn.location ?? "");
    expect(consent.status).toBe(200);
    const allowed = await browse(jar, authorizeUrl(api, params), {
      form: { csrf_token: hiddenField(consent.text, "csrf_token"), decision: "allow" },
    });
    expect(allowed.status).toBe(303);
    expect(allowed.location?.href.startsWith("https://spa.example/cb?a=1,2&code=")).toBe(true);
    // Default scopes (openid) apply when the request names none; a public client sends no secret.
    const tokens = await tokenRequest(api, {
      grant_type: "authorization_code",
      client_id: "spa",
      code: allowed.location?.searchParams.get("code") ?? "",
      redirect_uri: "https://spa.example/cb?a=1,2",
      code_verifier: p.verifier,
    });
    expect(tokens.status, tokens.text).toBe(200);
    expect(tokens.body.id_token).toBeTypeOf("string");
    expect(tokens.body.refresh_token).toBeTypeOf("string");
  });
});
