import { createHash, randomBytes } from "node:crypto";
import { expect } from "vitest";
import type { TestApi } from "../helpers/test-api.js";
import { WEB_CLIENT } from "../helpers/test-api.js";
import { tokenRequest, type JsonResponse } from "../oauth/oauth-client.js";

/** The demo redirect URI of `next-web` (API_WEB_REDIRECT_URIS default with demo data). */
export const WEB_CALLBACK = "http://localhost:3000/api/auth/callback/upstream";
export const PAGE_CSP_SELF =
  "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'";

/** A tiny cookie jar: what a browser would keep for the API's origin. */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  readonly setCookies: string[] = [];

  absorb(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      this.setCookies.push(line);
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/;\s*max-age=0\b/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

export interface PageResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The Location header resolved against the request URL (undefined when none). */
  location: URL | undefined;
  url: URL;
}

/** One browser request without following redirects; cookies are sent from and stored in `jar`. */
export async function browse(
  jar: CookieJar,
  url: string | URL,
  init: { method?: "GET" | "POST"; form?: Record<string, string> | string } = {},
): Promise<PageResponse> {
  const target = new URL(url);
  const headers: Record<string, string> = {};
  const cookie = jar.header();
  if (cookie !== "") headers.cookie = cookie;
  let body: string | undefined;
  if (init.form !== undefined) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = typeof init.form === "string" ? init.form : new URLSearchParams(init.form).toString();
  }
  const response = await fetch(target, {
    method: init.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    body,
    redirect: "manual",
  });
  jar.absorb(response);
  const location = response.headers.get("location");
  return {
    status: response.status,
    headers: response.headers,
    text: await response.text(),
    location: location === null ? undefined : new URL(location, target),
    url: target,
  };
}

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function pkce(): Pkce {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** The value of a hidden input in a page. */
export function hiddenField(html: string, name: string): string {
  const match = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(html);
  if (!match?.[1]) throw new Error(`no hidden ${name} in page:\n${html}`);
  return match[1].replaceAll("&amp;", "&").replaceAll("&quot;", '"').replaceAll("&#39;", "'");
}

export interface AuthorizeParams {
  client_id?: string;
  redirect_uri?: string;
  scope?: string;
  state?: string;
  nonce?: string;
  code_challenge?: string;
  code_challenge_method?: string;
  response_type?: string;
  prompt?: string;
  [extra: string]: string | undefined;
}

export function authorizeUrl(api: TestApi, params: AuthorizeParams): URL {
  const url = new URL(`${api.url}/oauth/authorize`);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  return url;
}

/** Sensible defaults for `next-web` with a fresh PKCE pair. */
export function webAuthorizeParams(p: Pkce, extra: AuthorizeParams = {}): AuthorizeParams {
  return {
    response_type: "code",
    client_id: WEB_CLIENT.id,
    redirect_uri: WEB_CALLBACK,
    scope: "openid editor",
    state: "state-123",
    code_challenge: p.challenge,
    code_challenge_method: "S256",
    ...extra,
  };
}

/**
 * GET /oauth/authorize without a session: expects the 303 to the sign-in page, opens it and
 * returns it (with its CSRF token and destination).
 */
export async function openSignInPage(jar: CookieJar, authorize: URL) {
  const first = await browse(jar, authorize);
  expect(first.status, first.text).toBe(303);
  expect(first.location?.pathname).toBe("/oauth/login");
  const page = await browse(jar, first.location ?? "");
  expect(page.status, page.text).toBe(200);
  return {
    page,
    csrfToken: hiddenField(page.text, "csrf_token"),
    destination: hiddenField(page.text, "destination"),
  };
}

/** Posts the sign-in form. */
export function postSignIn(
  jar: CookieJar,
  api: TestApi,
  form: Record<string, string>,
): Promise<PageResponse> {
  return browse(jar, `${api.url}/oauth/login`, { form });
}

/**
 * The whole browser part for a client that needs no consent: authorize → sign-in page → POST
 * credentials → back to authorize → redirect to the client. Returns the client's redirect.
 */
export async function signInAndAuthorize(
  api: TestApi,
  params: AuthorizeParams,
  username = "alice",
  password = `${username}-password`,
  jar = new CookieJar(),
): Promise<URL> {
  const { csrfToken, destination } = await openSignInPage(jar, authorizeUrl(api, params));
  const signedIn = await postSignIn(jar, api, {
    csrf_token: csrfToken,
    destination,
    username,
    password,
  });
  expect(signedIn.status, signedIn.text).toBe(303);
  expect(signedIn.location?.pathname).toBe("/oauth/authorize");
  const back = await browse(jar, signedIn.location ?? "");
  expect(back.status, back.text).toBe(303);
  if (!back.location) throw new Error("no redirect to the client");
  return back.location;
}

/** Runs the browser part and returns the code from the client's redirect. */
export async function codeFor(api: TestApi, params: AuthorizeParams, username?: string) {
  const redirect = await signInAndAuthorize(api, params, username);
  const code = redirect.searchParams.get("code");
  if (code === null) throw new Error(`no code in ${redirect.href}`);
  return code;
}

export function exchange(
  api: TestApi,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  return tokenRequest(
    api,
    {
      grant_type: "authorization_code",
      client_id: WEB_CLIENT.id,
      client_secret: WEB_CLIENT.secret,
      redirect_uri: WEB_CALLBACK,
      ...params,
    },
    headers,
  );
}
