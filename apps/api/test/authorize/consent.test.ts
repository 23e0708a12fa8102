import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../../src/auth/hash.js";
import { startTestApi, TEST_ISSUER, type TestApi } from "../helpers/test-api.js";
import { tokenRequest, userinfo } from "../oauth/oauth-client.js";
import {
  authorizeUrl,
  browse,
  CookieJar,
  hiddenField,
  openSignInPage,
  pkce,
  postSignIn,
  type AuthorizeParams,
  type Pkce,
} from "./flow.js";

// A third-party client: not `automatic_authorization`, so the user is asked.
const PARTNER = {
  id: "partner",
  secret: "partner-secret",
  callback: "https://partner.example/oauth/callback?tenant=1",
};

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  api.services.clients.upsert({
    clientId: PARTNER.id,
    label: "Partner <Reports>",
    secretHash: sha256(PARTNER.secret),
    confidential: true,
    grantTypes: ["authorization_code"],
    defaultScopes: [],
    defaultUser: null,
    redirectUris: [PARTNER.callback],
    automaticAuthorization: false,
  });
});
afterAll(async () => {
  await api.close();
});

function partnerParams(p: Pkce, extra: AuthorizeParams = {}): AuthorizeParams {
  return {
    response_type: "code",
    client_id: PARTNER.id,
    redirect_uri: PARTNER.callback,
    scope: "openid reader",
    state: "partner-state",
    code_challenge: p.challenge,
    code_challenge_method: "S256",
    ...extra,
  };
}

/** Signs in as bob and returns the consent page. */
async function consentPage(p: Pkce, jar = new CookieJar(), extra: AuthorizeParams = {}) {
  const { csrfToken, destination } = await openSignInPage(
    jar,
    authorizeUrl(api, partnerParams(p, extra)),
  );
  const signedIn = await postSignIn(jar, api, {
    csrf_token: csrfToken,
    destination,
    username: "bob",
    password: "bob-password",
  });
  expect(signedIn.status).toBe(303);
  const page = await browse(jar, signedIn.location ?? "");
  expect(page.status, page.text).toBe(200);
  const action = /<form method="post" action="([^"]+)">/
    .exec(page.text)?.[1]
    ?.replaceAll("&amp;", "&");
  return {
    jar,
    page,
    action: new URL(action ?? "", page.url),
    csrfToken: hiddenField(page.text, "csrf_token"),
  };
}

describe("consent page for clients without automatic authorization", () => {
  it("shows the client, the account and the scopes, escaped, with a CSP allowing the way back", async () => {
    const { page, action } = await consentPage(pkce());
    expect(page.text).toContain("Partner &lt;Reports&gt;");
    expect(page.text).not.toContain("Partner <Reports>");
    expect(page.text).toContain("<strong>bob</strong>");
    expect(page.text).toContain("<strong>openid</strong>");
    expect(page.text).toContain("<strong>reader</strong>");
    expect(page.text).toContain("partner.example");
    expect(page.text).toContain('name="decision" value="allow"');
    expect(page.text).toContain('name="decision" value="deny"');
    expect(page.headers.get("content-security-policy")).toBe(
      "default-src 'none'; style-src 'self'; form-action 'self' https://partner.example; frame-ancestors 'none'",
    );
    expect(action.pathname).toBe("/oauth/authorize");
    expect(action.searchParams.get("client_id")).toBe(PARTNER.id);
  });

  it("deny sends access_denied with the state back to the client", async () => {
    const { jar, action, csrfToken } = await consentPage(pkce());
    const response = await browse(jar, action, {
      form: { csrf_token: csrfToken, decision: "deny" },
    });
    expect(response.status).toBe(303);
    const location = response.location;
    expect(location?.href.startsWith(`${PARTNER.callback}&`)).toBe(true);
    expect(location?.searchParams.get("tenant")).toBe("1");
    expect(location?.searchParams.get("error")).toBe("access_denied");
    expect(location?.searchParams.get("state")).toBe("partner-state");
    expect(location?.searchParams.get("iss")).toBe(TEST_ISSUER);
    expect(location?.searchParams.has("code")).toBe(false);
    expect(jar.cookies.has("oauth_session")).toBe(false);
  });

  it("allow issues a code the client exchanges (no refresh_token grant: no refresh token)", async () => {
    const p = pkce();
    const { jar, action, csrfToken } = await consentPage(p);
    const response = await browse(jar, action, {
      form: { csrf_token: csrfToken, decision: "allow" },
    });
    expect(response.status).toBe(303);
    const code = response.location?.searchParams.get("code") ?? "";
    const tokens = await tokenRequest(api, {
      grant_type: "authorization_code",
      client_id: PARTNER.id,
      client_secret: PARTNER.secret,
      code,
      redirect_uri: PARTNER.callback,
      code_verifier: p.verifier,
    });
    expect(tokens.status, tokens.text).toBe(200);
    expect(Object.keys(tokens.body)).toStrictEqual([
      "token_type",
      "expires_in",
      "access_token",
      "id_token",
    ]);
    const me = await userinfo(api, String(tokens.body.access_token));
    expect(me.body).toMatchObject({ preferred_username: "bob", roles: ["reader"] });
  });

  it("the consent form needs its CSRF token; the sign-in form's token does not fit", async () => {
    const { jar, action, csrfToken } = await consentPage(pkce());
    const missing = await browse(jar, action, { form: { decision: "allow" } });
    expect(missing.status).toBe(403);
    expect(missing.location).toBeUndefined();

    // A token for the sign-in form (same cookie) is not a consent token.
    const login = await browse(
      jar,
      `${api.url}/oauth/login?destination=${encodeURIComponent(`/oauth/authorize${action.search}`)}`,
    );
    const signInToken = hiddenField(login.text, "csrf_token");
    expect(signInToken).not.toBe(csrfToken);
    const wrong = await browse(jar, action, {
      form: { csrf_token: signInToken, decision: "allow" },
    });
    expect(wrong.status).toBe(403);

    // Another browser (no cookies) with a stolen page token cannot use it.
    const stranger = await browse(new CookieJar(), action, {
      form: { csrf_token: csrfToken, decision: "allow" },
    });
    expect(stranger.status).toBe(403);
  });

  it("without a session the consent post goes to the sign-in page", async () => {
    const { action, csrfToken, jar } = await consentPage(pkce());
    jar.cookies.delete("oauth_session");
    const response = await browse(jar, action, {
      form: { csrf_token: csrfToken, decision: "allow" },
    });
    expect(response.status).toBe(303);
    expect(response.location?.pathname).toBe("/oauth/login");
  });

  it("prompt=none cannot skip consent", async () => {
    const jar = new CookieJar();
    const { action } = await consentPage(pkce(), jar);
    const params = Object.fromEntries(action.searchParams);
    const response = await browse(jar, authorizeUrl(api, { ...params, prompt: "none" }));
    expect(response.location?.searchParams.get("error")).toBe("consent_required");
  });
});
