import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEB_CLIENT } from "../helpers/test-api.js";
import { type Fixture, JSONAPI, request, startFixture } from "../jsonapi/helpers.js";
import { FORM } from "../oauth/oauth-client.js";
import { ifStarted } from "../../../../test-support/hooks.js";

/**
 * Property-based tests (fast-check) of the token endpoint's parameters, the JSON:API query
 * parser and JSON:API request bodies, over real HTTP. Properties: never a 5xx, errors in the
 * endpoint's own format, never a token in an answer to a request that should not get one, and
 * the data survives. Runs are bounded (a few seconds each); a failure prints the seed and the
 * shrunk counterexample.
 */

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(async () => {
  await ifStarted(f)?.close();
});

const tokenKey = fc.constantFrom(
  "grant_type",
  "client_id",
  "client_secret",
  "username",
  "password",
  "scope",
  "refresh_token",
  "code",
  "code_verifier",
  "redirect_uri",
  "token",
  "token_type_hint",
  "grant_type[]",
  "password[]",
  "scope[foo]",
  "username[$ne]",
  "__proto__",
  "constructor",
  "__proto__[admin]",
  "",
);
const tokenValue = fc.oneof(
  fc.constantFrom(
    "password",
    "refresh_token",
    "client_credentials",
    "authorization_code",
    "urn:ietf:params:oauth:grant-type:jwt-bearer",
    WEB_CLIENT.id,
    WEB_CLIENT.secret,
    "alice",
    "admin",
    "editor",
    "reader administrator",
    "",
    "%",
    "%00",
    "' OR 1=1--",
  ),
  fc.string({ maxLength: 40 }),
  fc.stringMatching(/^eyJ[A-Za-z0-9_-]{0,20}\.[A-Za-z0-9_-]{0,20}\.[A-Za-z0-9_-]{0,10}$/),
);
/** A form body: pairs in any order, repeated keys allowed, sometimes percent-mangled raw text. */
const formBody = fc.oneof(
  fc
    .array(fc.tuple(tokenKey, tokenValue), { maxLength: 8 })
    .map((pairs) =>
      pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&"),
    ),
  fc.string({ maxLength: 120 }),
);

describe("C5 C6 property: the token endpoint's parameters", () => {
  it("C5 C6 property: never a 5xx, always OAuth JSON errors, never a token without the user's password", async () => {
    const contentType = fc.constantFrom(
      FORM,
      `${FORM}; charset=UTF-8`,
      "application/json",
      "text/plain",
      "",
    );
    const authorization = fc.option(
      fc.oneof(
        fc.constant(
          `Basic ${Buffer.from(`${WEB_CLIENT.id}:${WEB_CLIENT.secret}`).toString("base64")}`,
        ),
        fc.string({ maxLength: 30 }).map((s) => `Basic ${s}`),
        fc.string({ maxLength: 30 }),
      ),
      { nil: undefined },
    );
    await fc.assert(
      fc.asyncProperty(
        formBody,
        contentType,
        authorization,
        fc.constantFrom("", "?client_id=x", "?a[b]=1"),
        async (body, type, auth, query) => {
          const headers: Record<string, string> = {};
          if (type !== "") headers["content-type"] = type;
          if (auth !== undefined) headers.authorization = auth;
          let response: Response;
          try {
            response = await fetch(`${f.api.url}/oauth/token${query}`, {
              method: "POST",
              headers,
              body,
            });
          } catch {
            return; // fetch refused the header value itself
          }
          const text = await response.text();
          expect({ body, status: response.status < 500 }).toEqual({ body, status: true });
          // No generated request carries a user's password: nothing may come back with a token.
          expect(response.status).not.toBe(200);
          // (Error hints may name a parameter, e.g. "The `refresh_token` parameter …"; no token member.)
          expect(text).not.toMatch(/"(access_token|refresh_token|id_token)"\s*:/);
          if (response.status !== 415) {
            const parsed = JSON.parse(text) as { error?: unknown };
            expect(typeof parsed.error).toBe("string");
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

const COLLECTION = "/jsonapi/node/article";
const queryKey = fc.oneof(
  fc.constantFrom(
    "filter[title]",
    "filter[status]",
    "filter[uid.pass]",
    "filter[uid.mail][operator]",
    "filter[uid.mail][value]",
    "filter[a][condition][path]",
    "filter[a][condition][operator]",
    "filter[a][condition][value]",
    "filter[a][condition][value][]",
    "filter[a][condition][memberOf]",
    "filter[g][group][conjunction]",
    "filter[g][group][memberOf]",
    "sort",
    "sort[k][path]",
    "sort[k][direction]",
    "include",
    "fields[node--article]",
    "fields[user--user]",
    "page[limit]",
    "page[offset]",
    "resourceVersion",
    "filter[__proto__][x]",
  ),
  fc.stringMatching(/^[a-z[\]_.$-]{1,16}$/),
);
const queryValue = fc.oneof(
  fc.constantFrom(
    "title",
    "-created",
    "uid",
    "uid.roles",
    "pass",
    "mail",
    "uid.pass",
    "' OR 1=1--",
    "title;DROP TABLE users",
    "(CASE WHEN 1 THEN title ELSE created END)",
    "1000000000",
    "-1",
    "1e309",
    "CONTAINS",
    "STARTS_WITH",
    "IN",
    "BETWEEN",
    "IS NULL",
    "OR",
    "%",
    "_",
    "\u0000",
  ),
  fc.string({ maxLength: 24 }),
);
const query = fc
  .array(fc.tuple(queryKey, queryValue), { maxLength: 6 })
  .map((pairs) =>
    pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&"),
  );

function countRows(): { users: number; articles: number } {
  const db = f.api.services.db;
  const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    users: n("SELECT COUNT(*) AS n FROM users"),
    articles: n("SELECT COUNT(*) AS n FROM articles"),
  };
}

describe("D5 D7 E4 property: the JSON:API query parser", () => {
  it("D5 D7 E4 property: any query is a JSON:API answer below 500, never shows pass or a token, and the tables survive", async () => {
    const before = countRows();
    const who = fc.constantFrom<keyof Fixture["tokens"] | "anonymous">(
      "anonymous",
      "bob",
      "alice",
      "admin",
    );
    const path = fc.constantFrom(
      COLLECTION,
      "/jsonapi/user/user",
      `${COLLECTION}/${f.articles("admin", true)[0] ?? ""}`,
    );
    await fc.assert(
      fc.asyncProperty(path, query, who, async (base, q, caller) => {
        const token = caller === "anonymous" ? undefined : f.tokens[caller];
        const res = await request(f.api, "GET", `${base}?${q}`, { token });
        expect({ q, status: res.status < 500 }).toEqual({ q, status: true });
        expect(res.headers.get("content-type")).toBe(JSONAPI);
        expect(res.text).not.toContain("$argon2");
        for (const secret of Object.values(f.tokens)) expect(res.text.includes(secret)).toBe(false);
        expect(res.text).not.toMatch(/SQLITE|no such column|at .*\.js:\d+/);
      }),
      { numRuns: 250 },
    );
    expect(countRows()).toEqual(before);
  });
});

/** JSON:API-ish documents: the right skeleton with arbitrary leaves, or anything at all. */
const attributes = fc.dictionary(
  fc.constantFrom(
    "title",
    "status",
    "promote",
    "sticky",
    "created",
    "body",
    "langcode",
    "drupal_internal__nid",
    "path",
    "__proto__",
    "x",
  ),
  fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.record({
      value: fc.jsonValue({ maxDepth: 1 }),
      format: fc.constantFrom("basic_html", "full_html", "x"),
    }),
  ),
  { maxKeys: 5 },
);
const relationships = fc.dictionary(
  fc.constantFrom("uid", "x", "__proto__"),
  fc.oneof(
    fc.record({
      data: fc.oneof(
        fc.constant(null),
        fc.record({
          type: fc.constantFrom("user--user", "node--article", "x"),
          id: fc.oneof(fc.uuid(), fc.string({ maxLength: 8 })),
        }),
      ),
    }),
    fc.jsonValue({ maxDepth: 2 }),
  ),
  { maxKeys: 2 },
);
const document = fc.oneof(
  fc.record(
    {
      data: fc.record(
        {
          type: fc.constantFrom("node--article", "user--user", "", "x"),
          id: fc.oneof(fc.uuid(), fc.string({ maxLength: 8 })),
          attributes,
          relationships,
        },
        { requiredKeys: ["type"] },
      ),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 3 }),
);

describe("D6 E4 property: JSON:API request bodies", () => {
  it("D6 E4 property: any body to POST or PATCH is below 500, and a write never hands the article to another author", async () => {
    const [own = ""] = f.articles("alice", true);
    const body = fc.oneof(
      document.map((value) => JSON.stringify(value)),
      fc.string({ maxLength: 80 }),
    );
    const target = fc.constantFrom(
      ["POST", COLLECTION] as const,
      ["PATCH", `${COLLECTION}/${own}`] as const,
    );
    const aliceUid = f.api.services.users.findByNameOrMail("alice")?.uid;
    await fc.assert(
      fc.asyncProperty(target, body, async ([method, path], text) => {
        const res = await request(f.api, method, path, {
          token: f.tokens.alice,
          headers: { "content-type": JSONAPI },
          body: text,
        });
        expect({ text, status: res.status < 500 }).toEqual({ text, status: true });
        expect(res.headers.get("content-type")).toBe(JSONAPI);
        expect(res.text.includes(f.tokens.alice)).toBe(false);
      }),
      { numRuns: 200 },
    );
    // Whatever was written, alice's articles are still hers and nobody else's became hers.
    const owners = f.api.services.db
      .prepare("SELECT DISTINCT uid FROM articles WHERE uuid = ?")
      .all(own) as Array<{ uid: number }>;
    expect(owners).toEqual([{ uid: aliceUid }]);
  });
});
