import { randomBytes } from "node:crypto";
import {
  type FakeReply,
  type RecordedRequest,
  fakeJwt,
  startFakeUpstream,
} from "./fake-upstream.js";

/**
 * Small fakes of the two JSON token APIs of issue 19, behaving as described there: rotation
 * (a refresh token works once), sign-out revoking the refresh token, a user endpoint and one
 * protected resource. They count what the library did to them.
 */
interface Person {
  id: number;
  login: string;
  password: string;
  name: string;
  email: string;
  roles: string[];
  disabled?: boolean;
}

const people: Person[] = [
  {
    id: 7,
    login: "kim",
    password: "right",
    name: "Kim Lee",
    email: "kim@shop.test",
    roles: ["customer", "authenticated"],
  },
  {
    id: 8,
    login: "max",
    password: "right",
    name: "Max",
    email: "max@shop.test",
    roles: [],
    disabled: true,
  },
];

const newToken = () => randomBytes(12).toString("base64url");
const json = (request: RecordedRequest) =>
  JSON.parse(request.body || "{}") as Record<string, unknown>;
const bearerOf = (request: RecordedRequest) =>
  /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];

/** What both fakes keep: live refresh tokens (once each), live access tokens, counters. */
function tokenStore(accessTtlMs: () => number) {
  const access = new Map<string, { person: Person; expiresAt: number }>();
  const refresh = new Map<string, Person>();
  const counts = { signIns: 0, refreshes: 0, refused: 0, signOuts: 0 };
  return {
    access,
    refresh,
    counts,
    issue(person: Person, accessToken = newToken()) {
      const refreshToken = newToken();
      const expiresAt = Date.now() + accessTtlMs();
      access.set(accessToken, { person, expiresAt });
      refresh.set(refreshToken, person);
      return { accessToken, refreshToken, expiresAt };
    },
    /** Rotation: the refresh token is spent; unknown or spent → null. */
    spend(token: unknown) {
      const person = typeof token === "string" ? refresh.get(token) : undefined;
      if (person === undefined) {
        counts.refused += 1;
        return null;
      }
      refresh.delete(token as string);
      counts.refreshes += 1;
      return person;
    },
    live(token: string | undefined) {
      const entry = token === undefined ? undefined : access.get(token);
      return entry !== undefined && entry.expiresAt > Date.now() ? entry.person : undefined;
    },
    /** Sign-out: every refresh token of the person is revoked. */
    revokeAll(person: Person) {
      counts.signOuts += 1;
      for (const [token, owner] of refresh) if (owner === person) refresh.delete(token);
    },
  };
}

/** The shop API: `{data: {access_token, refresh_token, expires}}`, expiry in epoch ms. */
export async function startShopApi(options: { accessTtlMs: number }) {
  let ttl = options.accessTtlMs;
  const store = tokenStore(() => ttl);
  const data = (issued: ReturnType<typeof store.issue>): FakeReply => ({
    json: {
      data: {
        access_token: issued.accessToken,
        refresh_token: issued.refreshToken,
        expires: issued.expiresAt,
      },
    },
  });
  const unauthorized: FakeReply = {
    status: 401,
    headers: { "www-authenticate": 'Bearer error="invalid_token"' },
    json: { error: "unauthorized" },
  };
  const server = await startFakeUpstream({
    "POST /auth/login": (request) => {
      const { email, password } = json(request);
      const person = people.find((candidate) => candidate.email === email);
      if (person === undefined || person.password !== password)
        return { status: 401, json: { error: "wrong credentials" } };
      store.counts.signIns += 1;
      return data(store.issue(person));
    },
    "POST /auth/refresh": (request) => {
      const person = store.spend(json(request).refresh_token);
      return person === null
        ? { status: 401, json: { error: "invalid refresh token" } }
        : data(store.issue(person));
    },
    "POST /auth/logout": (request) => {
      const person = store.refresh.get(String(json(request).refresh_token));
      if (person !== undefined) store.revokeAll(person);
      return { status: 204 };
    },
    "GET /auth/me": (request) => {
      const person = store.live(bearerOf(request));
      if (person === undefined) return unauthorized;
      if (person.disabled === true) return { status: 403, json: { error: "account disabled" } };
      return {
        json: {
          data: { id: person.id, name: person.name, email: person.email, roles: person.roles },
        },
      };
    },
    "GET /api/orders": (request) =>
      store.live(bearerOf(request)) ? { json: { orders: [1, 2] } } : unauthorized,
  });
  return { ...server, ...store, setAccessTtl: (ms: number) => (ttl = ms) };
}

/** The JWT API: `{jwt, refreshToken}`, refresh at `/token/refresh`, logout needs a live bearer. */
export async function startJwtApi(options: { accessTtlMs: number }) {
  const store = tokenStore(() => options.accessTtlMs);
  const issue = (person: Person): FakeReply => {
    const exp = (Date.now() + options.accessTtlMs) / 1000;
    const issued = store.issue(person, fakeJwt({ sub: String(person.id), exp, jti: newToken() }));
    return { json: { jwt: issued.accessToken, refreshToken: issued.refreshToken } };
  };
  // A dead token is a 403 with this body (what the provider's `classify` looks for).
  const expired: FakeReply = { status: 403, json: { message: "jwt expired" } };
  const logouts: Array<{ liveBearer: boolean }> = [];
  const server = await startFakeUpstream({
    "POST /login": (request) => {
      const { username, password } = json(request);
      const person = people.find((candidate) => candidate.login === username);
      if (person === undefined || person.password !== password)
        return { status: 401, json: { message: "bad credentials" } };
      store.counts.signIns += 1;
      return issue(person);
    },
    "POST /token/refresh": (request) => {
      const person = store.spend(json(request).refreshToken);
      return person === null
        ? { status: 401, json: { message: "invalid refresh token" } }
        : issue(person);
    },
    "POST /logout": (request) => {
      const person = store.live(bearerOf(request));
      logouts.push({ liveBearer: person !== undefined });
      if (person === undefined) return expired;
      store.revokeAll(person);
      return { json: { ok: true } };
    },
    "GET /profile": (request) => {
      const person = store.live(bearerOf(request));
      if (person === undefined) return expired;
      return {
        json: {
          user: {
            uuid: `u-${String(person.id)}`,
            login: person.login,
            name: person.name,
            groups: person.roles,
          },
        },
      };
    },
    "GET /v1/things": (request) =>
      store.live(bearerOf(request)) ? { json: { things: ["a"] } } : expired,
    "GET /v1/admin": (request) =>
      store.live(bearerOf(request)) ? { status: 403, json: { message: "forbidden" } } : expired,
  });
  /** Revokes an access token before it expires (say, a password change upstream). */
  const kill = (accessToken: string) => store.access.delete(accessToken);
  return { ...server, ...store, logouts, kill };
}
