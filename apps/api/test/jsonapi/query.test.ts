import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Fixture, JsonResource } from "./helpers.js";
import { firstError, JSONAPI, many, startFixture } from "./helpers.js";

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

const list = (query: string, token = f.tokens.admin) =>
  f.get(`/jsonapi/node/article${query}`, token);
const titles = (items: JsonResource[]) => items.map((item) => item.attributes?.title);
const count = (sql: string, ...params: unknown[]) =>
  (f.api.services.db.prepare(sql).get(...params) as { n: number }).n;

describe("pagination (C.4)", () => {
  it("defaults to 50, no prev/first on the first page, next only when more exist", async () => {
    const total = count("SELECT COUNT(*) AS n FROM articles");
    const res = await list("");
    expect(res.status).toBe(200);
    expect(many(res)).toHaveLength(Math.min(total, 50));
    expect(res.body.links).toEqual({ self: { href: `${f.api.url}/jsonapi/node/article` } });
  });

  it("builds next/prev/first from the request, keeping other parameters and their order", async () => {
    const res = await list("?filter[status]=1&page[offset]=4&page[limit]=3&sort=title&my_param=x");
    expect(res.status).toBe(200);
    expect(many(res)).toHaveLength(3);
    const base = `${f.api.url}/jsonapi/node/article?filter%5Bstatus%5D=1`;
    const rest = "&sort=title&my_param=x";
    expect(res.body.links).toEqual({
      self: {
        href: `${f.api.url}/jsonapi/node/article?filter[status]=1&page[offset]=4&page[limit]=3&sort=title&my_param=x`,
      },
      next: { href: `${base}&page%5Boffset%5D=7&page%5Blimit%5D=3${rest}` },
      first: { href: `${base}&page%5Boffset%5D=0&page%5Blimit%5D=3${rest}` },
      prev: { href: `${base}&page%5Boffset%5D=1&page%5Blimit%5D=3${rest}` },
    });
  });

  it("look-ahead: an exactly full last page has no next link", async () => {
    const published = count("SELECT COUNT(*) AS n FROM articles WHERE status = 1");
    const res = await list(`?filter[status]=1&page[offset]=${published - 2}&page[limit]=2`);
    expect(many(res)).toHaveLength(2);
    expect(res.body.links?.next).toBeUndefined();
    const before = await list(`?filter[status]=1&page[offset]=${published - 3}&page[limit]=2`);
    expect(before.body.links?.next).toBeDefined();
  });

  it("caps page[limit] at 50 and uses the capped size in links", async () => {
    const res = await list("?page[limit]=1000000000");
    expect(res.status).toBe(200);
    expect(many(res).length).toBeLessThanOrEqual(50);
    if (res.body.links?.next) expect(res.body.links.next.href).toContain("page%5Blimit%5D=50");
  });

  it.each([
    ["page[limit]=0", "The page size needs to be a positive integer."],
    ["page[limit]=-5", "The page size needs to be a positive integer."],
    ["page[limit]=abc", "The page size needs to be a positive integer."],
    ["page[offset]=-1", "The page offset needs to be a non-negative integer."],
    ["page[offset]=1.5", "The page offset needs to be a non-negative integer."],
    ["page[offset]=99999999999999999999", "The page offset needs to be a non-negative integer."],
    ["page=3", "The page parameter needs to be an array."],
  ])("%s → 400 %s", async (query, detail) => {
    const res = await list(`?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe(JSONAPI);
    expect(firstError(res)).toMatchObject({ status: "400", detail });
  });

  it("an offset past the end is an empty page with prev and first", async () => {
    const res = await list("?page[offset]=10000");
    expect(res.status).toBe(200);
    expect(many(res)).toEqual([]);
    expect(res.body.links?.prev).toBeDefined();
    expect(res.body.links?.next).toBeUndefined();
  });
});

describe("sort (C.5)", () => {
  it("sort=-created,title orders by created desc", async () => {
    const res = await list("?sort=-created,title&page[limit]=50");
    const created = many(res).map((item) => String(item.attributes?.created));
    expect(created).toEqual([...created].sort().reverse());
  });

  it("sort[k][path] form with direction", async () => {
    const res = await list("?sort[a][path]=title&sort[a][direction]=DESC&page[limit]=50");
    expect(res.status).toBe(200);
    const t = titles(many(res)).map(String);
    const expected = (
      f.api.services.db
        .prepare("SELECT title FROM articles ORDER BY title DESC, nid")
        .all() as Array<{
        title: string;
      }>
    ).map((row) => row.title);
    expect(t).toEqual(expected.slice(0, 50));
  });

  it("sort by the author's name goes through the relationship", async () => {
    const res = await list("?sort=uid.name,title");
    expect(res.status).toBe(200);
    const authors = many(res).map((item) => item.relationships?.uid?.data?.id);
    const order = [f.uuids.admin, f.uuids.alice, f.uuids.bob];
    const ranks = authors.map((id) => order.indexOf(String(id)));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it.each([
    [
      "sort=nope",
      400,
      "Invalid nested filtering. The field `nope`, given in the path `nope`, does not exist.",
    ],
    ["sort=", 400, "You need to provide a value for the sort parameter."],
    ["sort=title,", 400, "You need to provide a field name for the sort parameter."],
    [
      "sort[a][path]=title&sort[a][direction]=sideways",
      400,
      'The sort direction must be either "ASC" or "DESC".',
    ],
    ["sort[a][direction]=ASC", 400, "You need to provide a field name for the sort parameter."],
    [
      "sort=body.processed",
      400,
      "Invalid nested filtering. The field `body.processed`, given in the path `body.processed`, does not exist.",
    ],
  ])("%s → %i", async (query, status, detail) => {
    const res = await list(`?${query}`);
    expect(res.status).toBe(status);
    expect(firstError(res).detail).toBe(detail);
  });
});

describe("filter (C.5)", () => {
  it("shorthand filter[status]=1 / filter[status]=0", async () => {
    const published = await list("?filter[status]=1&page[limit]=50");
    expect(many(published).every((item) => item.attributes?.status === true)).toBe(true);
    expect(many(published)).toHaveLength(
      count("SELECT COUNT(*) AS n FROM articles WHERE status = 1"),
    );
    const drafts = await list("?filter[status]=0");
    expect(many(drafts)).toHaveLength(count("SELECT COUNT(*) AS n FROM articles WHERE status = 0"));
  });

  it("shorthand filter[title]=exact title", async () => {
    const { title } = f.api.services.db
      .prepare("SELECT title FROM articles WHERE nid = 4")
      .get() as {
      title: string;
    };
    const res = await list(`?filter[title]=${encodeURIComponent(title)}`);
    expect(titles(many(res))).toEqual([title]);
  });

  it("filter[uid.meta.drupal_internal__target_id]=2 lists alice's articles", async () => {
    const res = await list("?filter[uid.meta.drupal_internal__target_id]=2&page[limit]=50");
    expect(many(res).length).toBe(count("SELECT COUNT(*) AS n FROM articles WHERE uid = 2"));
    for (const item of many(res)) expect(item.relationships?.uid?.data?.id).toBe(f.uuids.alice);
  });

  it("shorthand with operator: filter[title][operator]=CONTAINS&filter[title][value]=token", async () => {
    const res = await list(
      "?filter[title][operator]=CONTAINS&filter[title][value]=token&page[limit]=50",
    );
    const expected = count("SELECT COUNT(*) AS n FROM articles WHERE title LIKE '%token%'");
    expect(expected).toBeGreaterThan(0);
    expect(many(res)).toHaveLength(expected);
  });

  const cases: Array<[string, string, string]> = [
    [
      "=",
      "value]=Release notes: spring content update",
      "title = 'Release notes: spring content update'",
    ],
    ["<>", "value]=1", "status <> 1"],
    ["STARTS_WITH", "value]=A ", "title LIKE 'A %'"],
    ["ENDS_WITH", "value]=practice", "title LIKE '%practice'"],
    ["CONTAINS", "value]=JSON", "title LIKE '%JSON%'"],
  ];
  it.each(cases)("condition operator %s", async (operator, value, where) => {
    const path = operator === "<>" ? "status" : "title";
    const res = await list(
      `?filter[c][condition][path]=${path}&filter[c][condition][operator]=${encodeURIComponent(operator)}&filter[c][condition][${value}&page[limit]=50`,
    );
    expect(res.status).toBe(200);
    expect(many(res)).toHaveLength(count(`SELECT COUNT(*) AS n FROM articles WHERE ${where}`));
  });

  it("numeric comparisons >, >=, <, <= and BETWEEN on drupal_internal__nid", async () => {
    const run = async (operator: string, extra = "filter[c][condition][value]=10") => {
      const res = await list(
        `?filter[c][condition][path]=drupal_internal__nid&filter[c][condition][operator]=${encodeURIComponent(operator)}&${extra}&page[limit]=50`,
      );
      expect(res.status).toBe(200);
      return many(res).map((item) => Number(item.attributes?.drupal_internal__nid));
    };
    expect((await run(">")).every((nid) => nid > 10)).toBe(true);
    expect(await run(">=")).toContain(10);
    expect(await run("<")).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await run("<=")).toHaveLength(10);
    expect(
      await run("BETWEEN", "filter[c][condition][value][]=3&filter[c][condition][value][]=5"),
    ).toEqual([3, 4, 5]);
    expect(
      (await run("NOT BETWEEN", "filter[c][condition][value][]=2&filter[c][condition][value][]=30"))
        .length,
    ).toBe(1 + Math.max(0, count("SELECT COUNT(*) AS n FROM articles WHERE nid > 30")));
  });

  it("IN and NOT IN with value[] arrays", async () => {
    const inRes = await list(
      "?filter[c][condition][path]=drupal_internal__nid&filter[c][condition][operator]=IN&filter[c][condition][value][]=1&filter[c][condition][value][]=3&filter[c][condition][value][]=5",
    );
    expect(many(inRes).map((item) => item.attributes?.drupal_internal__nid)).toEqual([1, 3, 5]);
    const notIn = await list(
      "?filter[c][condition][path]=drupal_internal__nid&filter[c][condition][operator]=NOT%20IN&filter[c][condition][value][]=1&page[limit]=50",
    );
    expect(many(notIn).map((item) => item.attributes?.drupal_internal__nid)).not.toContain(1);
  });

  it("IS NULL / IS NOT NULL", async () => {
    f.api.services.db.prepare("UPDATE articles SET body_value = NULL WHERE nid = 7").run();
    const isNull = await list(
      "?filter[c][condition][path]=body.value&filter[c][condition][operator]=IS%20NULL",
    );
    expect(many(isNull).map((item) => item.attributes?.drupal_internal__nid)).toEqual([7]);
    const notNull = await list(
      "?filter[c][condition][path]=body.value&filter[c][condition][operator]=IS%20NOT%20NULL&page[limit]=50",
    );
    expect(many(notNull).map((item) => item.attributes?.drupal_internal__nid)).not.toContain(7);
  });

  it("groups with OR conjunction and memberOf (nested)", async () => {
    const query = [
      "filter[or][group][conjunction]=OR",
      "filter[a][condition][path]=drupal_internal__nid",
      "filter[a][condition][value]=1",
      "filter[a][condition][memberOf]=or",
      "filter[and][group][conjunction]=AND",
      "filter[and][group][memberOf]=or",
      "filter[b][condition][path]=drupal_internal__nid",
      "filter[b][condition][operator]=%3E%3D",
      "filter[b][condition][value]=5",
      "filter[b][condition][memberOf]=and",
      "filter[c][condition][path]=drupal_internal__nid",
      "filter[c][condition][operator]=%3C%3D",
      "filter[c][condition][value]=6",
      "filter[c][condition][memberOf]=and",
    ].join("&");
    const res = await list(`?${query}`);
    expect(res.status).toBe(200);
    expect(many(res).map((item) => item.attributes?.drupal_internal__nid)).toEqual([1, 5, 6]);
  });

  it("created accepts a timestamp or an RFC 3339 date", async () => {
    const { created } = f.api.services.db
      .prepare("SELECT created FROM articles WHERE nid = 10")
      .get() as {
      created: number;
    };
    const iso = new Date(created * 1000).toISOString();
    const a = await list(
      `?filter[c][condition][path]=created&filter[c][condition][operator]=%3E%3D&filter[c][condition][value]=${created}&page[limit]=50`,
    );
    const b = await list(
      `?filter[c][condition][path]=created&filter[c][condition][operator]=%3E%3D&filter[c][condition][value]=${iso}&page[limit]=50`,
    );
    expect(a.status).toBe(200);
    expect(many(a).map((i) => i.id)).toEqual(many(b).map((i) => i.id));
    expect(many(a).length).toBe(
      count("SELECT COUNT(*) AS n FROM articles WHERE created >= ?", created),
    );
  });

  it.each([
    [
      "filter[nope]=1",
      400,
      "Invalid nested filtering. The field `nope`, given in the path `nope`, does not exist.",
    ],
    [
      "filter[c][condition][path]=title&filter[c][condition][operator]=LIKE&filter[c][condition][value]=x",
      400,
      "The 'LIKE' operator is not allowed in a filter parameter.",
    ],
    [
      "filter[c][condition][operator]=%3D&filter[c][condition][value]=x",
      400,
      "Filter parameter 'c' is missing a 'path' key.",
    ],
    ["filter[c][condition][path]=title", 400, "Filter parameter 'c' is missing a 'value' key."],
    [
      "filter[@root][condition][path]=title&filter[@root][condition][value]=x",
      400,
      "'@root' is a reserved filter id.",
    ],
    [
      "filter[g][group][conjunction]=XOR",
      400,
      "The filter conjunction must be either 'AND' or 'OR'.",
    ],
    [
      "filter[c][condition][path]=title&filter[c][condition][value]=x&filter[c][condition][memberOf]=ghost",
      400,
      "The filter 'c' is a member of the unknown group 'ghost'.",
    ],
    ["filter[status]=maybe", 400, "The value 'maybe' is not valid for the field `status`."],
    [
      "filter[drupal_internal__nid]=1e3",
      400,
      "The value '1e3' is not valid for the field `drupal_internal__nid`.",
    ],
    [
      "filter[created]=yesterday",
      400,
      "The value 'yesterday' is not valid for the field `created`.",
    ],
    [
      "filter[c][condition][path]=title&filter[c][condition][operator]=IS%20NULL&filter[c][condition][value]=x",
      400,
      "The 'IS NULL' operator does not accept a value (filter 'c').",
    ],
    [
      "filter[c][condition][path]=drupal_internal__nid&filter[c][condition][operator]=BETWEEN&filter[c][condition][value]=1",
      400,
      "The 'BETWEEN' operator needs exactly two values.",
    ],
    [
      "filter[c][condition][path]=created&filter[c][condition][operator]=CONTAINS&filter[c][condition][value]=1",
      400,
      "The 'CONTAINS' operator cannot be used on `created`.",
    ],
    ["filter=status", 400, "The filter parameter needs to be an array."],
    [
      "filter[status]=1&filter[status][value]=1",
      400,
      "The query parameter 'filter[status][value]' is malformed.",
    ],
    [
      "filter[a][b][c][d][e][f][g]=1",
      400,
      "The query parameter 'filter[a][b][c][d][e][f][g]' is malformed.",
    ],
    [
      "filter[g1][group][memberOf]=g2&filter[g2][group][memberOf]=g1",
      400,
      "The filter 'g1' is a member of the unknown group 'g2'.",
    ],
  ])("%s → %i", async (query, status, detail) => {
    const res = await list(`?${query}`);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toBe(JSONAPI);
    expect(firstError(res).detail).toBe(detail);
  });
});

describe("query parameter names (JsonApiRequestValidator)", () => {
  it.each([
    ["foo=1", "The following query parameters violate the JSON:API spec: 'foo'."],
    [
      "foo=1&bar=2&foo=3",
      "The following query parameters violate the JSON:API spec: 'foo', 'bar'.",
    ],
    ["foo[x]=1", "The following query parameters violate the JSON:API spec: 'foo'."],
    [
      "_format=json",
      "JSON:API does not need that ugly '_format' query string! 🤘 Use the URL provided in 'links' 🙏",
    ],
  ])("%s → 400", async (query, detail) => {
    for (const path of ["/jsonapi", "/jsonapi/node/article", "/jsonapi/user/user"]) {
      const res = await f.get(`${path}?${query}`, f.tokens.alice);
      expect(res.status).toBe(400);
      expect(firstError(res).detail).toBe(detail);
    }
  });

  it("custom names with a non a–z character are accepted and ignored", async () => {
    const res = await list("?resourceVersion=rel%3Alatest-version&myParam=1&my_param=2&x-y=3");
    expect(res.status).toBe(200);
  });
});
