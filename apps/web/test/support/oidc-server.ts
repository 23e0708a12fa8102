import { generateKeyPairSync, randomBytes, verify } from "node:crypto";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type KoaContextWithOIDC, errors } from "oidc-provider";

/**
 * An independent OpenID Connect server for the web tests (issue 19): node-oidc-provider 9 on a
 * free loopback port, in this test process (it stops with `stop()` or with the process). JWT
 * access tokens for one resource server (resource indicators), refresh-token rotation,
 * revocation, the code flow with PKCE through a small sign-in page of its own, and the password
 * grant registered as a custom grant (`registerGrantType`, as its docs show). The same server
 * exposes the protected resource `GET /api/notes`, which checks the JWT (signature, issuer,
 * audience, expiry) and answers 401 `invalid_token` otherwise.
 */
export interface OidcTestServer {
  /** The issuer, `http://127.0.0.1:<port>` (also where `/api/notes` lives). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** What the server did: token grants by type, resource calls by outcome. */
  counts: { refresh: number; password: number; code: number; api: number; apiRefused: number };
  /** Asks the token endpoint to refresh, as a client would (for "revoked?" checks). */
  refreshDirectly(refreshToken: string): Promise<{ status: number; error?: string }>;
  stop(): Promise<void>;
}

interface Person {
  id: string;
  password: string;
  name: string;
  email: string;
  roles: string[];
}

export const oidcPeople: Record<string, Person> = {
  alice: {
    id: "u-alice",
    password: "alice-oidc",
    name: "Alice O.",
    email: "alice@oidc.test",
    roles: ["editor"],
  },
  bob: {
    id: "u-bob",
    password: "bob-oidc",
    name: "Bob O.",
    email: "bob@oidc.test",
    roles: ["reader"],
  },
};

const byId = (id: string) => Object.values(oidcPeople).find((person) => person.id === id);

/** The person's claims; the server's `claims` setting decides which a scope shows. */
function claimsOf(person: Person) {
  return {
    sub: person.id,
    name: person.name,
    preferred_username: Object.keys(oidcPeople).find((key) => oidcPeople[key] === person),
    email: person.email,
    email_verified: true,
    roles: person.roles,
  };
}
const OIDC_SCOPES = ["openid", "profile", "email", "offline_access"];

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

const scopeText = (value: unknown) => (typeof value === "string" ? value : "");

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (char) => `&#${String(char.charCodeAt(0))};`);

function signInPage(uid: string, error?: string): string {
  return `<!doctype html><html><head><title>Sign in</title></head><body>
<h1>OIDC test server</h1>${error ? `<p role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/interaction/${encodeURIComponent(uid)}">
<label for="u">Username</label><input id="u" name="username" autocomplete="username">
<label for="p">Password</label><input id="p" name="password" type="password">
<button type="submit">Sign in</button></form></body></html>`;
}

export async function startOidcServer(options: {
  accessTokenTtl: number;
  redirectUris: string[];
  /** `always`: a refresh token whenever the client may refresh (first-party policy); else only for `offline_access`. */
  refreshTokens: "always" | "offline_access";
}): Promise<OidcTestServer> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  const resource = `${issuer}/api`;
  const clientId = "next-web";
  const clientSecret = randomBytes(24).toString("base64url");
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: "jwk" }), kid: "k1", use: "sig", alg: "RS256" };
  const resourceServer = {
    scope: "api",
    audience: resource,
    accessTokenTTL: options.accessTokenTtl,
    accessTokenFormat: "jwt",
    jwt: { sign: { alg: "RS256" } },
  } as const;
  const mayRefresh = (scopes: Set<string>) =>
    options.refreshTokens === "always" || scopes.has("offline_access");

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        grant_types: ["authorization_code", "refresh_token", "password"],
        response_types: ["code"],
        redirect_uris: options.redirectUris,
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    claims: {
      openid: ["sub"],
      profile: ["name", "preferred_username", "roles"],
      email: ["email", "email_verified"],
    },
    findAccount: (_ctx, id) => {
      const person = byId(id);
      if (person === undefined) return undefined;
      return {
        accountId: id,
        claims: () => claimsOf(person),
      };
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== resource) throw new errors.InvalidTarget();
          return resourceServer;
        },
      },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    issueRefreshToken: (_ctx, client, source) =>
      client.grantTypeAllowed("refresh_token") && mayRefresh(source.scopes),
    rotateRefreshToken: true,
    ttl: { AccessToken: options.accessTokenTtl, IdToken: 3600, RefreshToken: 3600, Grant: 3600 },
  });

  const counts = { refresh: 0, password: 0, code: 0, api: 0, apiRefused: 0 };
  provider.on("grant.success", (ctx: KoaContextWithOIDC) => {
    const type = String(ctx.oidc.params?.grant_type);
    if (type === "refresh_token") counts.refresh += 1;
    if (type === "password") counts.password += 1;
    if (type === "authorization_code") counts.code += 1;
  });

  // The password grant, registered the way node-oidc-provider's docs show for custom grants.
  provider.registerGrantType(
    "password",
    async (ctx: KoaContextWithOIDC) => {
      const { client, params } = ctx.oidc;
      const person = Object.entries(oidcPeople).find(([name]) => name === params?.username)?.[1];
      if (client === undefined || person === undefined || person.password !== params?.password) {
        throw new errors.InvalidGrant("invalid credentials provided");
      }
      const requested = new Set(scopeText(params.scope).split(" ").filter(Boolean));
      const oidcScope = OIDC_SCOPES.filter((scope) => requested.has(scope)).join(" ");
      const grant = new provider.Grant({ accountId: person.id, clientId: client.clientId });
      grant.addOIDCScope(oidcScope);
      grant.addResourceScope(resource, "api");
      const grantId = await grant.save();
      const accessToken = new provider.AccessToken({
        accountId: person.id,
        client,
        grantId,
        gty: "password",
        scope: "api",
      });
      accessToken.resourceServer = new provider.ResourceServer(resource, resourceServer);
      const body: Record<string, unknown> = {
        access_token: await accessToken.save(),
        token_type: "Bearer",
        expires_in: accessToken.expiration,
        scope: [oidcScope, "api"].join(" ").trim(),
      };
      if (client.grantTypeAllowed("refresh_token") && mayRefresh(requested)) {
        const refreshToken = new provider.RefreshToken({
          accountId: person.id,
          client,
          grantId,
          gty: "password",
          scope: `${oidcScope} api`.trim(),
          resource,
          rotations: 0,
        });
        body.refresh_token = await refreshToken.save();
      }
      if (requested.has("openid")) {
        // The scope decides which of the person's claims the id_token shows.
        const idToken = Object.assign(new provider.IdToken(claimsOf(person), { ctx }), {
          scope: oidcScope,
        });
        body.id_token = await idToken.issue({ use: "idtoken" });
      }
      ctx.body = body;
    },
    ["username", "password", "scope"],
  );

  /** The protected resource: a JWT access token for `resource`, checked here. */
  function notes(request: IncomingMessage, response: ServerResponse): void {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    const claims = token === undefined ? null : verifiedClaims(token);
    if (claims === null) {
      counts.apiRefused += 1;
      response.writeHead(401, {
        "content-type": "application/json",
        "www-authenticate": 'Bearer error="invalid_token"',
      });
      response.end(JSON.stringify({ error: "invalid_token" }));
      return;
    }
    counts.api += 1;
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ sub: claims.sub, notes: ["first note"] }));
  }

  function verifiedClaims(token: string): Record<string, unknown> | null {
    const [header, payload, signature] = token.split(".");
    if (header === undefined || payload === undefined || signature === undefined) return null;
    const data = Buffer.from(`${header}.${payload}`);
    if (!verify("RSA-SHA256", data, publicKey, Buffer.from(signature, "base64url"))) return null;
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;
    const fresh = typeof claims.exp === "number" && claims.exp * 1000 > Date.now();
    return fresh && claims.iss === issuer && claims.aud === resource ? claims : null;
  }

  async function interaction(request: IncomingMessage, response: ServerResponse, uid: string) {
    const details = await provider.interactionDetails(request, response);
    if (details.uid !== uid) throw new Error("interaction mismatch");
    if (request.method === "GET") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(signInPage(uid));
      return;
    }
    const form = await readForm(request);
    const person = oidcPeople[form.get("username") ?? ""];
    if (person === undefined || person.password !== form.get("password")) {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(signInPage(uid, "Wrong username or password."));
      return;
    }
    const requested = new Set(scopeText(details.params.scope).split(" "));
    const grant = new provider.Grant({
      accountId: person.id,
      clientId: String(details.params.client_id),
    });
    grant.addOIDCScope(OIDC_SCOPES.filter((scope) => requested.has(scope)).join(" "));
    grant.addResourceScope(resource, "api");
    const grantId = await grant.save();
    await provider.interactionFinished(
      request,
      response,
      { login: { accountId: person.id }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  const callback = provider.callback();
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    if (path.startsWith("/api/")) {
      notes(request, response);
      return;
    }
    const uid = /^\/interaction\/([^/]+)$/.exec(path)?.[1];
    if (uid !== undefined) {
      interaction(request, response, uid).catch((error: unknown) => {
        response.writeHead(400, { "content-type": "text/plain" });
        response.end(error instanceof Error ? error.message : "interaction failed");
      });
      return;
    }
    void callback(request, response);
  });

  return {
    issuer,
    clientId,
    clientSecret,
    counts,
    async refreshDirectly(refreshToken) {
      const response = await fetch(`${issuer}/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "refresh_token",
          refresh_token: refreshToken,
          client_id: clientId,
          client_secret: clientSecret,
        }),
      });
      const body = (await response.json()) as { error?: string };
      return { status: response.status, ...(body.error ? { error: body.error } : {}) };
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
