import { beforeAll, describe, expect, it } from "vitest";
import { signInBob } from "../support/catalogue";
import { demoUsers, testServers } from "../support/context";
import { csrfToken, newJar, postCredentials, rawRequest } from "./http-signin";

/**
 * Catalogue cases of what the app serves besides its pages, over real HTTP against the running
 * web app (production build) and the reference API: no-store on authenticated answers (B4),
 * methods and CORS on the proxy (B8 B11), SSRF through Next.js features (B12) and debug
 * surfaces (E5). Cases covered elsewhere are mapped in docs/security.md.
 */

const { webUrl, apiUrl } = testServers();
let bob: string;

beforeAll(async () => {
  bob = await signInBob();
});

describe("B4 authenticated answers are never cached", () => {
  it("B4 session, API, proxy, protected pages, their RSC payloads and sign-in answers carry no-store", async () => {
    const targets: Array<[string, Record<string, string>]> = [
      ["/api/auth/session", {}],
      ["/api/me", {}],
      ["/api/upstream/jsonapi/node/article", { "x-csrf": "1" }],
      ["/account", {}],
      ["/articles", {}],
      ["/account", { RSC: "1" }],
      ["/articles", { RSC: "1" }],
    ];
    for (const [path, headers] of targets) {
      const response = await fetch(`${webUrl}${path}`, {
        headers: { cookie: bob, ...headers },
        redirect: "manual",
      });
      const body = await response.text();
      const where = `${path} ${JSON.stringify(headers)} → ${response.status}`;
      if (
        response.status >= 300 &&
        response.status < 400 &&
        response.headers.getSetCookie().length === 0
      ) {
        // A bare redirect carries nothing of the session.
        expect(body, where).not.toMatch(/bob|Signed in as/);
        continue;
      }
      expect(response.headers.get("cache-control") ?? "", where).toContain("no-store");
    }
    const jar = newJar();
    const token = await csrfToken(webUrl, jar);
    const signIn = await postCredentials(webUrl, jar, {
      csrfToken: token,
      username: demoUsers.bob.username,
      password: demoUsers.bob.password,
      json: "true",
    });
    await signIn.text();
    expect(signIn.headers.getSetCookie().length).toBeGreaterThan(0);
    expect(signIn.headers.get("cache-control") ?? "").toContain("no-store");
  });
});

describe("B8 B11 methods and CORS on the proxy", () => {
  it("B8 PROPFIND is refused without a 5xx, OPTIONS gets no CORS, TRACE and CONNECT get no 2xx", async () => {
    for (const method of ["TRACE", "CONNECT"]) {
      // Next itself answers TRACE with a 500 before our route runs (open, docs/security.md).
      const response = await rawRequest(`${webUrl}/api/upstream/jsonapi/node/article`, {
        method,
        headers: { cookie: bob, "x-csrf": "1" },
      }).catch(() => ({ status: 400, headers: {}, body: "" }));
      expect(response.status, method).toBeGreaterThanOrEqual(400);
      expect(response.body, method).not.toContain("node--article");
    }
    for (const method of ["PROPFIND", "OPTIONS"]) {
      const response = await rawRequest(`${webUrl}/api/upstream/jsonapi/node/article`, {
        method,
        headers: { cookie: bob, "x-csrf": "1" },
      }).catch((): Awaited<ReturnType<typeof rawRequest>> => ({
        status: 400,
        headers: {},
        body: "",
      }));
      // Next answers OPTIONS itself (204 + Allow, no CORS headers, nothing upstream).
      if (method === "OPTIONS" && response.status === 204) {
        expect(response.body).toBe("");
        expect(response.headers["access-control-allow-origin"]).toBeUndefined();
        continue;
      }
      expect(response.status, method).toBeGreaterThanOrEqual(400);
      expect(response.status, method).toBeLessThan(500);
    }
  });

  it("B11 a preflight and a credentialed GET from another origin get no Access-Control-Allow-Origin", async () => {
    const preflight = await fetch(`${webUrl}/api/upstream/jsonapi/node/article`, {
      method: "OPTIONS",
      headers: {
        origin: "http://evil.example",
        "access-control-request-method": "PUT",
        "access-control-request-headers": "x-csrf, content-type",
      },
    });
    await preflight.text();
    const get = await fetch(`${webUrl}/api/upstream/jsonapi/node/article`, {
      headers: { origin: "http://evil.example", cookie: bob, "x-csrf": "1" },
    });
    await get.text();
    for (const response of [preflight, get]) {
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
      expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    }
  });
});

describe("B12 SSRF through Next.js features", () => {
  it("B12 /_next/image refuses metadata and foreign hosts", async () => {
    for (const url of [
      "http://169.254.169.254/latest",
      "https://evil.example/a.png",
      `${apiUrl}/oauth/jwks`,
      "//evil.example/a.png",
    ]) {
      const response = await fetch(
        `${webUrl}/_next/image?url=${encodeURIComponent(url)}&w=64&q=75`,
      );
      await response.text();
      expect(response.status, url).toBeGreaterThanOrEqual(400);
      expect(response.status, url).toBeLessThan(500);
    }
  });
});

describe("E5 no debug or extra surfaces in production", () => {
  it("E5 .git, source maps, dev/HMR endpoints and next-auth debug output are not reachable", async () => {
    const html = await (await fetch(`${webUrl}/login`)).text();
    const script = /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const paths = [
      "/.git/config",
      "/.git/HEAD",
      "/.env",
      "/.next-test/BUILD_ID",
      `${script ?? ""}.map`,
      "/_next/webpack-hmr",
      "/__nextjs_original-stack-frame?file=x",
      "/__nextjs_launch-editor?file=x",
      "/_next/static/development/_devPagesManifest.json",
      "/api/auth/_log",
    ];
    for (const path of paths) {
      const response = await fetch(`${webUrl}${path}`, { redirect: "manual" });
      const body = await response.text();
      expect(response.status === 200 && body.length > 0 ? `${path}: 200` : "", path).toBe("");
    }
    const jsFile = await (await fetch(`${webUrl}${script ?? ""}`)).text();
    expect(jsFile).not.toMatch(/sourceMappingURL=/);
  });
});
