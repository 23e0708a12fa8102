import { request as httpRequest } from "node:http";

/** Sign-in over plain HTTP, as a script (not a browser) would do it, for the security tests. */

export interface Jar {
  /** name → value */
  cookies: Map<string, string>;
  header(): string;
}

export function newJar(): Jar {
  const cookies = new Map<string, string>();
  return {
    cookies,
    header: () => [...cookies].map(([name, value]) => `${name}=${value}`).join("; "),
  };
}

export function absorb(jar: Jar, response: Response): void {
  for (const line of response.headers.getSetCookie()) {
    const [pair = ""] = line.split(";");
    const index = pair.indexOf("=");
    const name = pair.slice(0, index).trim();
    const value = pair.slice(index + 1);
    if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === "") jar.cookies.delete(name);
    else jar.cookies.set(name, value);
  }
}

export async function csrfToken(webUrl: string, jar: Jar): Promise<string> {
  const response = await fetch(`${webUrl}/api/auth/csrf`, { headers: { cookie: jar.header() } });
  absorb(jar, response);
  const { csrfToken: token } = (await response.json()) as { csrfToken: string };
  return token;
}

/** POST /api/auth/callback/credentials; returns the raw response (cookies absorbed). */
export async function postCredentials(
  webUrl: string,
  jar: Jar,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  const response = await fetch(`${webUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: jar.header(),
      origin: webUrl,
      ...headers,
    },
    body: new URLSearchParams(fields).toString(),
  });
  absorb(jar, response);
  return response;
}

export async function signInOverHttp(
  webUrl: string,
  username: string,
  password: string,
): Promise<Jar> {
  const jar = newJar();
  const token = await csrfToken(webUrl, jar);
  const response = await postCredentials(webUrl, jar, {
    csrfToken: token,
    username,
    password,
    callbackUrl: `${webUrl}/`,
    json: "true",
  });
  await response.text();
  if (![...jar.cookies.keys()].some((name) => name.includes("session-token"))) {
    throw new Error(`sign-in of ${username} failed: ${response.status}`);
  }
  return jar;
}

export function sessionCookieHeader(jar: Jar): string {
  return [...jar.cookies]
    .filter(([name]) => name.includes("session-token"))
    .map(([name, value]) => `${name}=${value}`)
    .join("; ");
}

/**
 * A raw HTTP/1.1 request (node:http), for what fetch will not send: another `Host`, odd
 * methods, several headers of one name.
 */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string | string[]>; body?: string } = {},
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? "GET",
        headers: options.headers,
        setHost: options.headers?.host === undefined,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.setTimeout(20_000, () => req.destroy(new Error(`timeout: ${url}`)));
    req.end(options.body);
  });
}
