import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Fixture } from "./helpers.js";
import { firstError, many, one, startFixture } from "./helpers.js";

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

const list = (query: string, token = f.tokens.admin) =>
  f.get(`/jsonapi/node/article${query}`, token);

describe("include and sparse fieldsets (C.5)", () => {
  it("include=uid adds deduplicated user objects to `included`", async () => {
    const res = await list("?include=uid&page[limit]=50");
    expect(res.status).toBe(200);
    const included = res.body.included ?? [];
    const ids = included.map((item) => item.id).sort();
    expect(ids).toEqual([f.uuids.admin, f.uuids.alice, f.uuids.bob].sort());
    for (const user of included) {
      expect(user.type).toBe("user--user");
      expect(user.attributes).not.toHaveProperty("pass");
      expect(user.links.self.href).toBe(`${f.api.url}/jsonapi/user/user/${user.id}`);
    }
  });

  it("include on an individual article", async () => {
    const [id = ""] = f.articles("bob", true);
    const res = await f.get(`/jsonapi/node/article/${id}?include=uid`, f.tokens.bob);
    expect(res.status).toBe(200);
    expect(res.body.included).toHaveLength(1);
    expect(res.body.included?.[0]?.id).toBe(f.uuids.bob);
    expect(res.body.included?.[0]?.attributes?.mail).toBe("bob@example.com"); // own mail
  });

  it("included users the caller may not view are label-only (display_name), never mail", async () => {
    const res = await f.get(
      "/jsonapi/node/article?include=uid&filter[uid.meta.drupal_internal__target_id]=2",
      f.tokens.bob,
    );
    expect(res.status).toBe(200);
    expect(res.body.included).toEqual([
      {
        type: "user--user",
        id: f.uuids.alice,
        links: { self: { href: `${f.api.url}/jsonapi/user/user/${f.uuids.alice}` } },
        attributes: { display_name: "alice" },
      },
    ]);
  });

  it("only authors of visible items are included", async () => {
    const res = await f.get("/jsonapi/node/article?include=uid&filter[status]=0", f.tokens.bob);
    expect(res.body.included).toEqual([]);
  });

  it.each([
    ["include=tags", "`tags` is not a valid relationship field name. Possible values: uid."],
    ["include=uid.roles", "`roles` is not a valid relationship field name. Possible values: uid."],
  ])("%s → 400", async (query, detail) => {
    const res = await list(`?${query}`);
    expect(res.status).toBe(400);
    expect(firstError(res).detail).toBe(detail);
  });

  it("fields[node--article]=title,created keeps only those members", async () => {
    const res = await list("?fields[node--article]=title,created&page[limit]=3");
    for (const item of many(res)) {
      expect(Object.keys(item.attributes ?? {})).toEqual(["title", "created"]);
      expect(item).not.toHaveProperty("relationships");
      expect(item.links.self.href).toContain("resourceVersion=id%3A");
    }
  });

  it("fields also applies to included users, and to relationships", async () => {
    const res = await list(
      "?include=uid&fields[node--article]=uid&fields[user--user]=name&page[limit]=2",
    );
    for (const item of many(res)) {
      expect(item).not.toHaveProperty("attributes");
      expect(Object.keys(item.relationships ?? {})).toEqual(["uid"]);
    }
    for (const user of res.body.included ?? [])
      expect(Object.keys(user.attributes ?? {})).toEqual(["name"]);
  });

  it("an individual GET honours fields too", async () => {
    const [id = ""] = f.articles("alice", true);
    const res = await f.get(
      `/jsonapi/node/article/${id}?fields[node--article]=status`,
      f.tokens.alice,
    );
    expect(one(res).attributes).toEqual({ status: true });
  });
});

describe("resourceVersion on individual GET", () => {
  it("the self link with resourceVersion resolves; another revision id is 404", async () => {
    const [id = ""] = f.articles("alice", true);
    const self = one(await f.get(`/jsonapi/node/article/${id}`, f.tokens.alice)).links.self.href;
    const res = await f.get(self.slice(f.api.url.length), f.tokens.alice);
    expect(res.status).toBe(200);
    const old = await f.get(`/jsonapi/node/article/${id}?resourceVersion=id%3A99`, f.tokens.alice);
    expect(old.status).toBe(404);
    const bad = await f.get(`/jsonapi/node/article/${id}?resourceVersion=zzz`, f.tokens.alice);
    expect(bad.status).toBe(400);
  });
});

describe("the uid relationship routes", () => {
  it("related and relationship links resolve", async () => {
    const [id = ""] = f.articles("alice", true);
    const data = one(await f.get(`/jsonapi/node/article/${id}`, f.tokens.alice));
    const related = data.relationships?.uid?.links?.related?.href ?? "";
    const rel = await f.get(related.slice(f.api.url.length), f.tokens.alice);
    expect(rel.status).toBe(200);
    expect(one(rel).id).toBe(f.uuids.alice);
    const selfLink = data.relationships?.uid?.links?.self?.href ?? "";
    const ship = await f.get(selfLink.slice(f.api.url.length), f.tokens.alice);
    expect(ship.status).toBe(200);
    expect(ship.body.data).toEqual({
      type: "user--user",
      id: f.uuids.alice,
      meta: { drupal_internal__target_id: 2 },
    });
  });
});
