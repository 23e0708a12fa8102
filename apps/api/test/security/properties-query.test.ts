import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawBytesRequest } from "../helpers/raw-http.js";
import { startTestApi, type TestApi } from "../helpers/test-api.js";
import { JSONAPI } from "../jsonapi/helpers.js";
import { hashPassword } from "../../src/auth/passwords.js";
import { createArticleRepository } from "../../src/db/articles.js";
import { ifStarted } from "../../../../test-support/hooks.js";
import { encodeLoosely, loose, strict } from "../helpers/percent-encoding.js";

/**
 * Property: the JSON:API query parser (filter, sort, page, include, fields and every other
 * parameter name) never answers 5xx, and every 4xx is a JSON:API error document
 * (`application/vnd.api+json`, an `errors` array whose members carry the status and a title or
 * detail). 10,000 generated query strings through the whole Fastify app (`inject`), then a few
 * hundred over a real socket with raw bytes in the request target. Adversarial: brackets in
 * and out of place, repeated keys, deep nesting, huge numbers, percent-encoding (broken and
 * non-UTF-8 too), lone surrogates, empty values.
 */
let api: TestApi;
let token: string;
let articleId = "";
beforeAll(async () => {
  // A small data set (two users, three articles) keeps answers small and 10,000 requests fast;
  // the parser runs the same code whatever the data.
  api = await startTestApi({ DEMO_DATA: "0", API_CLIENT_SECRET: "a-long-enough-client-secret" });
  const { users, issuer, db } = api.services;
  const create = async (name: string, role: "editor" | "reader") =>
    users.create({
      name,
      mail: `${name}@example.com`,
      passHash: await hashPassword(`${name}-password`),
      roles: [role],
    });
  const alice = await create("alice", "editor");
  const bob = await create("bob", "reader");
  const articles = createArticleRepository(db);
  for (const [index, author] of [alice, bob, alice].entries()) {
    articleId = articles.create({
      uuid: randomUUID(),
      title: `Article ${String(index)}`,
      body: { value: "<p>Body</p>", format: "basic_html", summary: "" },
      status: index !== 2,
      promote: true,
      sticky: false,
      uid: author.uid,
      created: 1_700_000_000 + index,
    }).uuid;
  }
  const issued = await issuer.issue({
    clientId: "next-web",
    uid: alice.uid,
    scopes: ["editor"],
    withRefreshToken: false,
  });
  token = issued.access_token;
});
afterAll(async () => {
  await ifStarted(api)?.close();
});

const segment = fc.oneof(
  fc.constantFrom(
    "title",
    "status",
    "uid",
    "uid.name",
    "uid.mail",
    "uid.pass",
    "condition",
    "group",
    "path",
    "operator",
    "value",
    "memberOf",
    "conjunction",
    "direction",
    "limit",
    "offset",
    "node--article",
    "user--user",
    "@root",
    "__proto__",
    "constructor",
    "prototype",
    "hasOwnProperty",
    "0",
    "-1",
    "",
  ),
  fc.string({ maxLength: 6 }),
);
const base = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("filter", "sort", "page", "include", "fields") },
  fc.constantFrom("_format", "resourceVersion", "foo", "Foo", "my_param", "jsonapi_include", ""),
  fc.string({ maxLength: 8 }),
);
/** A parameter name: a base, up to 12 bracket levels, maybe `[]`, maybe stray brackets. */
const key = fc
  .tuple(
    base,
    fc.array(segment, { maxLength: 12 }),
    fc.boolean(),
    fc.constantFrom("", "", "", "[", "]", "[]]", "][", "[[x]]"),
  )
  .map(
    ([name, segments, append, junk]) =>
      `${name}${segments.map((s) => `[${s}]`).join("")}${append ? "[]" : ""}${junk}`,
  );
const hugeNumber = fc.oneof(
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
  fc.double().map(String),
  fc.constantFrom("1e309", "-1e309", "9".repeat(400), "0x10", "1_000", "+5", "-0", "NaN", " 5 "),
);
const value = fc.oneof(
  fc.constantFrom(
    "",
    "title",
    "-created,title",
    ",,,",
    "-",
    "uid",
    "uid,uid",
    "uid.uid",
    "pass",
    "=",
    "<>",
    "CONTAINS",
    "STARTS_WITH",
    "IN",
    "NOT IN",
    "BETWEEN",
    "IS NULL",
    "OR",
    "AND",
    "ASC",
    "desc",
    "%",
    "_",
    "' OR 1=1--",
    "\u0000",
    "\uD800",
    "\uDFFF",
  ),
  hugeNumber,
  fc.string({ maxLength: 20, unit: "binary" }),
);

const percentJunk = fc.constantFrom("%", "%zz", "%G1", "%FF", "%C3%28", "%C0%80", "%E2%82", "%00");

/** One name=value pair, encoded strictly, loosely (raw brackets and `&`), or with junk spliced in. */
const pair = fc
  .tuple(key, value, fc.constantFrom("strict", "loose", "loose", "junk"), percentJunk)
  .map(([k, v, how, junk]) => {
    if (how === "strict") return `${encodeLoosely(k, strict)}=${encodeLoosely(v, strict)}`;
    const text = `${encodeLoosely(k, loose)}=${encodeLoosely(v, loose)}`;
    return how === "junk" ? `${text}${junk}` : text;
  });
/** Names the parser knows, with generated values: these reach filter and sort compilation. */
const knownKey = fc.constantFrom(
  "filter[title]",
  "filter[status]",
  "filter[uid.name]",
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
);
const plausible = fc
  .array(
    fc
      .tuple(knownKey, value)
      .map(([k, v]) => `${encodeLoosely(k, loose)}=${encodeLoosely(v, strict)}`),
    { maxLength: 6 },
  )
  .map((pairs) => pairs.join("&"));
const queryString = fc.oneof(
  plausible,
  fc.array(pair, { maxLength: 8 }).map((pairs) => pairs.join("&")),
  // Many repeats of one key, and empty members.
  fc
    .tuple(pair, fc.integer({ min: 2, max: 30 }), fc.constantFrom("&", "&&", "&=&"))
    .map(([p, n, glue]) => Array<string>(n).fill(p).join(glue)),
);

type Who = "anonymous" | "alice";
const paths = () =>
  fc.constantFrom(
    "/jsonapi/node/article",
    "/jsonapi/user/user",
    `/jsonapi/node/article/${articleId}`,
    "/jsonapi",
  );

interface Answer {
  status: number;
  type: string | undefined;
  body: string;
}

/**
 * The property, for one answer; a plain check (vitest's `expect` is slow in a 10,000-run loop),
 * whose error fast-check reports with the shrunk counterexample.
 */
function checkJsonApiAnswer(target: string, answer: Answer): void {
  const fail = (problem: string) => {
    throw new Error(
      `${problem}: ${String(answer.status)} for ${target}: ${answer.body.slice(0, 300)}`,
    );
  };
  if (answer.status >= 500) fail("5xx");
  if (answer.type !== JSONAPI) fail(`content type ${String(answer.type)}`);
  let document: { data?: unknown; errors?: unknown };
  try {
    document = JSON.parse(answer.body) as typeof document;
  } catch {
    return fail("not JSON");
  }
  if (answer.status < 400) {
    if (!("data" in document)) fail("no data");
    return;
  }
  if (!Array.isArray(document.errors) || document.errors.length === 0) return fail("no errors");
  for (const error of document.errors as Array<Record<string, unknown>>) {
    if (error.status !== String(answer.status)) fail("error status differs");
    if (typeof error.title !== "string" && typeof error.detail !== "string")
      fail("no title/detail");
  }
}

describe("D5 E4 property: the JSON:API query parser", () => {
  it("D5 E4 property: 10,000 generated query strings (inject): never a 5xx, every 4xx a JSON:API error document", async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        paths(),
        queryString,
        // Mostly anonymous: a signed-in caller costs a signature check per request.
        fc.oneof(
          { weight: 4, arbitrary: fc.constant<Who>("anonymous") },
          { weight: 1, arbitrary: fc.constant<Who>("alice") },
        ),
        async (path, query, who) => {
          const url = `${path}?${query}`;
          const response = await api.app.inject({
            method: "GET",
            url,
            headers: who === "alice" ? { authorization: `Bearer ${token}` } : {},
          });
          const type = response.headers["content-type"];
          statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
          checkJsonApiAnswer(url, {
            status: response.statusCode,
            type: typeof type === "string" ? type : undefined,
            body: response.body,
          });
        },
      ),
      { numRuns: 10_000 },
    );
    // The generator reaches both sides: answers and refusals.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(1000);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(2000);
  });

  it("D5 E4 property: 300 over a real socket, raw bytes in the request target included", async () => {
    const rawTarget = fc.oneof(
      { weight: 3, arbitrary: queryString },
      // Bytes the HTTP parser itself refuses: non-ASCII, spaces, control characters.
      fc
        .tuple(queryString, fc.uint8Array({ minLength: 1, maxLength: 8 }))
        .map(([q, bytes]) => `${q}${Buffer.from(bytes).toString("latin1")}`),
    );
    let unparsable = 0;
    await fc.assert(
      fc.asyncProperty(paths(), rawTarget, async (path, query) => {
        const head = `GET ${path}?${query} HTTP/1.1\r\nHost: api.test\r\nConnection: close\r\n\r\n`;
        const response = await rawBytesRequest(api.url, Buffer.from(head, "latin1"));
        if (response.body.includes("could not be parsed as HTTP")) unparsable += 1;
        checkJsonApiAnswer(JSON.stringify(query), {
          status: response.status,
          type: response.headers["content-type"],
          body: response.body,
        });
      }),
      { numRuns: 300 },
    );
    // Node's own parser refused some of them, and those too got a JSON:API document.
    expect(unparsable).toBeGreaterThan(10);
  });
});
