import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Fixture, Res } from "./helpers.js";
import { article, firstError, JSONAPI, many, one, startFixture } from "./helpers.js";

/** `expect.any` is typed `any`; what it returns is a matcher object. */
const anyString: unknown = expect.any(String);

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

const COLLECTION = "/jsonapi/node/article";
const count = (table: "users" | "articles") =>
  (f.api.services.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
const hashes = () =>
  (f.api.services.db.prepare("SELECT pass FROM users").all() as Array<{ pass: string }>).map(
    (row) => row.pass,
  );
const expectNoSecrets = (res: Res) => {
  for (const hash of hashes()) expect(res.text).not.toContain(hash);
  expect(res.text).not.toMatch(/\$argon2|"pass"/);
};

describe("D4 object-level authorization (IDOR)", () => {
  it("alice cannot read, patch or delete admin's unpublished article by UUID", async () => {
    const [draft = ""] = f.articles("admin", false);
    const path = `${COLLECTION}/${draft}`;
    expect((await f.get(path, f.tokens.alice)).status).toBe(403);
    const patched = await f.send(
      "PATCH",
      path,
      { data: { type: "node--article", id: draft, attributes: { title: "pwned" } } },
      f.tokens.alice,
    );
    expect(patched.status).toBe(403);
    expect((await f.del(path, f.tokens.alice)).status).toBe(403);
    const row = f.api.services.db
      .prepare("SELECT title FROM articles WHERE uuid = ?")
      .get(draft) as { title: string } | undefined;
    expect(row?.title).not.toBe("pwned");
  });

  it("users cannot be written at all (405), whoever asks", async () => {
    for (const token of [f.tokens.bob, f.tokens.admin]) {
      const res = await f.send(
        "PATCH",
        `/jsonapi/user/user/${f.uuids.bob}`,
        {
          data: {
            type: "user--user",
            id: f.uuids.bob,
            attributes: { roles: ["administrator"], pass: "x", status: true },
          },
        },
        token,
      );
      expect(res.status).toBe(405);
    }
    expect(f.api.services.users.findByNameOrMail("bob")?.roles).toEqual(["reader"]);
  });
});

describe("D5 leaks through filter, sort, include and sparse fieldsets", () => {
  it.each([
    ["filter[uid.pass]=x", "pass", "uid.pass"],
    [
      "filter[c][condition][path]=uid.pass&filter[c][condition][operator]=STARTS_WITH&filter[c][condition][value]=$",
      "pass",
      "uid.pass",
    ],
    ["sort=uid.pass", "pass", "uid.pass"],
    ["filter[uid.entity.pass]=x", "pass", "uid.entity.pass"],
  ])("%s → 403 for everyone, admin included", async (query, field, path) => {
    for (const token of [f.tokens.bob, f.tokens.alice, f.tokens.admin]) {
      const res = await f.get(`${COLLECTION}?${query}`, token);
      expect(res.status).toBe(403);
      expect(firstError(res).detail).toBe(
        `The current user is not authorized to filter by the \`${field}\` field, given in the path \`${path}\`.`,
      );
    }
  });

  it("uid.mail STARTS_WITH (a search oracle) is 403 unless the caller administers users", async () => {
    const query = "filter[uid.mail][operator]=STARTS_WITH&filter[uid.mail][value]=a";
    for (const token of [f.tokens.bob, f.tokens.alice]) {
      const res = await f.get(`${COLLECTION}?${query}`, token);
      expect(res.status).toBe(403);
    }
    const sort = await f.get(`${COLLECTION}?sort=uid.mail`, f.tokens.alice);
    expect(sort.status).toBe(403);
    const admin = await f.get(`${COLLECTION}?${query}&page[limit]=50`, f.tokens.admin);
    expect(admin.status).toBe(200);
    expect(new Set(many(admin).map((item) => item.relationships?.uid?.data?.id))).toEqual(
      new Set([f.uuids.admin, f.uuids.alice]),
    );
  });

  it("filtering through the author only matches authors the caller may view (among own)", async () => {
    const bob = await f.get(`${COLLECTION}?filter[uid.name]=alice`, f.tokens.bob);
    expect(bob.status).toBe(200);
    expect(many(bob)).toEqual([]);
    const own = await f.get(`${COLLECTION}?filter[uid.name]=bob&page[limit]=50`, f.tokens.bob);
    expect(many(own).length).toBe(f.articles("bob", true).length);
    const admin = await f.get(
      `${COLLECTION}?filter[uid.name]=alice&page[limit]=50`,
      f.tokens.admin,
    );
    expect(many(admin).length).toBe(
      f.articles("alice", true).length + f.articles("alice", false).length,
    );
  });

  it("include=uid,uid.roles is refused; include=uid never shows pass or others' mail", async () => {
    const roles = await f.get(`${COLLECTION}?include=uid,uid.roles`, f.tokens.bob);
    expect(roles.status).toBe(400);
    const res = await f.get(`${COLLECTION}?include=uid&page[limit]=50`, f.tokens.bob);
    expect(res.status).toBe(200);
    expectNoSecrets(res);
    for (const user of res.body.included ?? []) {
      if (user.id === f.uuids.bob) expect(user.attributes?.mail).toBe("bob@example.com");
      else expect(user.attributes).toEqual({ display_name: anyString });
    }
  });

  it("fields[user--user]=pass,mail,init shows no pass and no mail of others", async () => {
    const res = await f.get("/jsonapi/user/user?fields[user--user]=pass,mail,init", f.tokens.bob);
    expect(res.status).toBe(200);
    expectNoSecrets(res);
    for (const user of many(res)) {
      if (user.id === f.uuids.bob) expect(user.attributes).toEqual({ mail: "bob@example.com" });
      else expect(user).not.toHaveProperty("attributes");
    }
    const admin = await f.get(
      "/jsonapi/user/user?fields[user--user]=pass,mail,init",
      f.tokens.admin,
    );
    expectNoSecrets(admin);
    expect(many(admin).map((user) => user.attributes)).toEqual([
      { mail: "admin@example.com" },
      { mail: "alice@example.com" },
      { mail: "bob@example.com" },
    ]);
  });

  it("user collection: filtering on pass is 403, on mail 403 for non-admins", async () => {
    for (const token of [f.tokens.bob, f.tokens.admin]) {
      expect((await f.get("/jsonapi/user/user?filter[pass]=x", token)).status).toBe(403);
    }
    expect(
      (await f.get("/jsonapi/user/user?filter[mail]=alice@example.com", f.tokens.bob)).status,
    ).toBe(403);
    const admin = await f.get("/jsonapi/user/user?filter[mail]=alice@example.com", f.tokens.admin);
    expect(many(admin).map((user) => user.id)).toEqual([f.uuids.alice]);
  });
});

describe("D6 mass assignment", () => {
  const patchOwn = async (
    attributes: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) => {
    const id = f.seed("alice", true, "mass");
    const res = await f.send(
      "PATCH",
      `${COLLECTION}/${id}`,
      { data: { type: "node--article", id, attributes, ...extra } },
      f.tokens.alice,
    );
    const row = f.api.services.db
      .prepare("SELECT * FROM articles WHERE uuid = ?")
      .get(id) as Record<string, unknown>;
    return { res, row };
  };

  it.each([
    [{ created: "2001-01-01T00:00:00+00:00" }, "created"],
    [{ promote: false }, "promote"],
    [{ sticky: true }, "sticky"],
  ])("alice PATCH %j on her own article → 403 with pointer", async (attributes, field) => {
    const { res, row } = await patchOwn(attributes);
    expect(res.status).toBe(403);
    expect(firstError(res)).toMatchObject({
      status: "403",
      detail: `The current user is not allowed to PATCH the selected field (${field}).`,
      source: { pointer: `/data/attributes/${field}` },
    });
    expect(row.vid).toBe(1);
    expect(row.title).toBe("mass");
  });

  it("alice cannot hand her article to bob (uid relationship) → 403 /data/relationships/uid", async () => {
    const { res, row } = await patchOwn(
      { title: "moved" },
      { relationships: { uid: { data: { type: "user--user", id: f.uuids.bob } } } },
    );
    expect(res.status).toBe(403);
    expect(firstError(res)).toMatchObject({
      detail: "The current user is not allowed to PATCH the selected field (uid).",
      source: { pointer: "/data/relationships/uid" },
    });
    expect(row.uid).toBe(2);
    expect(row.title).toBe("mass");
  });

  it("drupal_internal__nid / __vid cannot be changed, by anyone", async () => {
    const { res } = await patchOwn({ drupal_internal__nid: 1 });
    expect(res.status).toBe(403);
    expect(firstError(res).detail).toBe(
      "The current user is not allowed to PATCH the selected field (drupal_internal__nid). The entity ID cannot be changed.",
    );
    const admin = await f.send(
      "POST",
      COLLECTION,
      article({ title: "x", drupal_internal__vid: 9 }),
      f.tokens.admin,
    );
    expect(admin.status).toBe(403);
    expect(firstError(admin).source).toEqual({ pointer: "/data/attributes/drupal_internal__vid" });
  });

  it("alice may set status on her own article", async () => {
    const { res, row } = await patchOwn({ status: false });
    expect(res.status).toBe(200);
    expect(row.status).toBe(0);
  });

  it("POST: alice may not set created, promote, sticky or another author; herself as author is fine", async () => {
    const before = count("articles");
    for (const attributes of [
      { title: "x", created: "2001-01-01T00:00:00+00:00" },
      { title: "x", sticky: true },
      { title: "x", promote: true },
    ]) {
      const res = await f.send("POST", COLLECTION, article(attributes), f.tokens.alice);
      expect(res.status).toBe(403);
      expect(firstError(res).detail).toMatch(
        /^The current user is not allowed to POST the selected field/,
      );
    }
    const other = await f.send(
      "POST",
      COLLECTION,
      article(
        { title: "x" },
        { relationships: { uid: { data: { type: "user--user", id: f.uuids.admin } } } },
      ),
      f.tokens.alice,
    );
    expect(other.status).toBe(403);
    expect(firstError(other).source).toEqual({ pointer: "/data/relationships/uid" });
    expect(count("articles")).toBe(before);

    const self = await f.send(
      "POST",
      COLLECTION,
      article(
        { title: "x" },
        { relationships: { uid: { data: { type: "user--user", id: f.uuids.alice } } } },
      ),
      f.tokens.alice,
    );
    expect(self.status).toBe(201);
  });

  it("an administrator may set the author, created, promote and sticky", async () => {
    const res = await f.send(
      "POST",
      COLLECTION,
      article(
        {
          title: "by admin for bob",
          created: "2020-02-03T04:05:06+00:00",
          promote: false,
          sticky: true,
        },
        { relationships: { uid: { data: { type: "user--user", id: f.uuids.bob } } } },
      ),
      f.tokens.admin,
    );
    expect(res.status).toBe(201);
    expect(one(res).attributes).toMatchObject({
      created: "2020-02-03T04:05:06+00:00",
      promote: false,
      sticky: true,
    });
    expect(one(res).relationships?.uid?.data?.id).toBe(f.uuids.bob);
  });
});

describe("D7 SQL injection through filter, sort, paging and ids", () => {
  it("every attempt is a clean 4xx or an empty result, and the tables survive", async () => {
    const users = count("users");
    const articles = count("articles");
    const attempts: Array<[string, number]> = [
      [`${COLLECTION}?filter[title][value]=${encodeURIComponent("' OR 1=1--")}`, 200],
      [`${COLLECTION}?filter[title]=${encodeURIComponent("x' OR '1'='1")}`, 200],
      [`${COLLECTION}?sort=${encodeURIComponent("title;DROP TABLE users")}`, 400],
      [
        `${COLLECTION}?sort=${encodeURIComponent("(CASE WHEN (SELECT substr(pass,1,1) FROM users)='$' THEN title ELSE created END)")}`,
        400,
      ],
      [`${COLLECTION}?sort[a][path]=${encodeURIComponent("title DESC, (SELECT 1)")}`, 400],
      [`${COLLECTION}?page[limit]=1000000000`, 200],
      [`${COLLECTION}?page[offset]=-1`, 400],
      [`${COLLECTION}?page[limit]=${encodeURIComponent("1; DROP TABLE articles")}`, 400],
      [`${COLLECTION}/${encodeURIComponent("1' OR '1'='1")}`, 404],
      [`/jsonapi/user/user/${encodeURIComponent("1' OR '1'='1")}`, 404],
      [`${COLLECTION}?${encodeURIComponent("filter[title) OR 1=1 --]")}=x`, 400],
      [
        `${COLLECTION}?filter[c][condition][path]=title&filter[c][condition][operator]=${encodeURIComponent(") OR (1=1")}&filter[c][condition][value]=x`,
        400,
      ],
      [`${COLLECTION}?filter[drupal_internal__nid]=${encodeURIComponent("1 OR 1=1")}`, 400],
      [
        `${COLLECTION}?filter[c][condition][path]=drupal_internal__nid&filter[c][condition][operator]=IN&filter[c][condition][value][]=${encodeURIComponent("1) OR (1=1")}`,
        400,
      ],
      [`${COLLECTION}?filter[status]=${encodeURIComponent("1 UNION SELECT pass FROM users")}`, 400],
      [
        `${COLLECTION}?fields[node--article]=${encodeURIComponent("title,(SELECT pass FROM users)")}`,
        200,
      ],
    ];
    for (const [path, status] of attempts) {
      const res = await f.get(path, f.tokens.admin);
      expect({ path, status: res.status }).toEqual({ path, status });
      expect(res.headers.get("content-type")).toBe(JSONAPI);
      expectNoSecrets(res);
      if (status === 200 && path.includes("filter[title]")) expect(many(res)).toEqual([]);
    }
    expect(count("users")).toBe(users);
    expect(count("articles")).toBe(articles);
  });

  it("LIKE wildcards in CONTAINS values are literal", async () => {
    for (const value of ["%", "_", "\\"]) {
      const res = await f.get(
        `${COLLECTION}?filter[title][operator]=CONTAINS&filter[title][value]=${encodeURIComponent(value)}`,
        f.tokens.admin,
      );
      expect(res.status).toBe(200);
      expect(many(res)).toEqual([]);
    }
  });
});
