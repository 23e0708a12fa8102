import { CookieJar } from "./refresh-servers";

/**
 * Sign-in by authorization code + PKCE over plain HTTP, as a browser would do it but with every
 * hop visible: next-auth's sign-in POST, the reference API's authorize redirect and sign-in page,
 * and the redirect back to our callback, which is returned unvisited (with the next-auth check
 * cookies the browser holds then), so a test can see the code and replay the callback.
 */
export interface InterceptedCallback {
  /** Our callback URL with `code`, `state` (and `iss`). */
  url: string;
  /** The web app's cookies at that moment: csrf, callback URL, state, PKCE verifier, nonce. */
  webJar: CookieJar;
  /** The API's own cookies (its sign-in session). */
  apiJar: CookieJar;
}

/** The hidden and text fields of the first form on an HTML page (the API's own markup). */
function formFields(html: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const match of html.matchAll(/<input\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(match[0])?.[1];
    const value = /\bvalue="([^"]*)"/.exec(match[0])?.[1] ?? "";
    if (name !== undefined) fields.set(name, value.replaceAll("&amp;", "&"));
  }
  return fields;
}

/** Follows the API's redirects (cookies kept) until one leaves the API or a page answers. */
async function followOnApi(
  response: Response,
  url: string,
  apiJar: CookieJar,
  apiOrigin: string,
): Promise<{ response: Response; url: string }> {
  for (let hop = 0; hop < 8; hop += 1) {
    apiJar.apply(response);
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || location === null) {
      return { response, url };
    }
    url = new URL(location, url).href;
    if (!url.startsWith(apiOrigin)) return { response, url };
    response = await fetch(url, { redirect: "manual", headers: { cookie: apiJar.header() } });
  }
  throw new Error(`too many redirects at ${url}`);
}

export async function codeFlowUntilCallback(options: {
  webUrl: string;
  apiUrl: string;
  username: string;
  password: string;
  callbackPath?: string;
}): Promise<InterceptedCallback> {
  const { webUrl, apiUrl } = options;
  const webJar = new CookieJar();
  const apiJar = new CookieJar();
  const csrf = await fetch(`${webUrl}/api/auth/csrf`);
  webJar.apply(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const signIn = await fetch(`${webUrl}/api/auth/signin/upstream`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: webJar.header(),
      origin: webUrl,
    },
    body: new URLSearchParams({
      csrfToken,
      callbackUrl: `${webUrl}${options.callbackPath ?? "/account"}`,
      json: "true",
    }),
  });
  webJar.apply(signIn);
  const { url: authorizeUrl } = (await signIn.json()) as { url: string };
  if (!authorizeUrl.startsWith(apiUrl)) throw new Error(`no authorize URL: ${authorizeUrl}`);

  const first = await fetch(authorizeUrl, { redirect: "manual" });
  const page = await followOnApi(first, authorizeUrl, apiJar, apiUrl);
  const fields = formFields(await page.response.text());
  fields.set("username", options.username);
  fields.set("password", options.password);
  const posted = await fetch(new URL("login", page.url).href, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: apiJar.header(),
      origin: apiUrl,
    },
    body: new URLSearchParams([...fields]).toString(),
  });
  const back = await followOnApi(posted, page.url, apiJar, apiUrl);
  if (!back.url.startsWith(`${webUrl}/api/auth/callback/upstream`)) {
    throw new Error(`the API did not send us back: ${back.response.status} ${back.url}`);
  }
  return { url: back.url, webJar, apiJar };
}

/** Visits our callback with `jar`'s cookies; the jar takes what it sets. Returns the answer. */
export async function visitCallback(callback: string, jar: CookieJar): Promise<Response> {
  const response = await fetch(callback, { redirect: "manual", headers: { cookie: jar.header() } });
  jar.apply(response);
  await response.text();
  return response;
}
