import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Fixture } from "./helpers.js";
import { article, firstError, JSONAPI, many, one, startFixture, UUID } from "./helpers.js";

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

const jsonapiMember = {
  version: "1.0",
  meta: { links: { self: { href: "http://jsonapi.org/format/1.0/" } } },
};

describe("drupal-wire D.3 conformance checks #8–#15 (JSON:API part)", () => {
  it("D.3 #8 unpublished article: anonymous 403 document, garbage token 401, alice 403", async () => {
    const [unpublished = ""] = f.articles("bob", false);
    const path = `/jsonapi/node/article/${unpublished}`;

    const anonymous = await f.get(path);
    expect(anonymous.status).toBe(403);
    expect(anonymous.headers.get("content-type")).toBe(JSONAPI);
    expect(anonymous.body.jsonapi).toEqual(jsonapiMember);
    expect(firstError(anonymous)).toEqual({
      title: "Forbidden",
      status: "403",
      detail:
        "The current user is not allowed to GET the selected resource. The 'access content' permission is required.",
      links: {
        via: { href: `${f.api.url}${path}` },
        info: { href: "https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.4" },
      },
      source: { pointer: "/data" },
    });

    const garbage = await f.get(path, "garbage");
    expect(garbage.status).toBe(401);
    expect(garbage.headers.get("www-authenticate")).toMatch(/^Bearer realm="OAuth"/);
    expect(garbage.headers.get("www-authenticate")).toContain('error="access_denied"');

    const alice = await f.get(path, f.tokens.alice);
    expect(alice.status).toBe(403);
    expect(alice.headers.get("content-type")).toBe(JSONAPI);
    expect(firstError(alice)).toMatchObject({
      status: "403",
      detail: "The current user is not allowed to GET the selected resource.",
      source: { pointer: "/data" },
    });
  });

  it("D.3 #9 entry point: links, meta.links.me for alice, no meta anonymously", async () => {
    const alice = await f.get("/jsonapi", f.tokens.alice);
    expect(alice.status).toBe(200);
    expect(alice.headers.get("content-type")).toBe(JSONAPI);
    expect(alice.body.data).toEqual([]);
    expect(alice.body.jsonapi).toEqual(jsonapiMember);
    expect(alice.body.links?.self?.href).toBe(`${f.api.url}/jsonapi`);
    expect(alice.body.links?.["node--article"]?.href).toBe(`${f.api.url}/jsonapi/node/article`);
    expect(alice.body.links?.["user--user"]?.href).toBe(`${f.api.url}/jsonapi/user/user`);
    expect(alice.body.meta).toEqual({
      links: {
        me: {
          meta: { id: f.uuids.alice },
          href: `${f.api.url}/jsonapi/user/user/${f.uuids.alice}`,
        },
      },
    });
    // The `me` link works for alice.
    const me = await f.get(`/jsonapi/user/user/${f.uuids.alice}`, f.tokens.alice);
    expect(me.status).toBe(200);
    expect(one(me).attributes?.name).toBe("alice");

    const anonymous = await f.get("/jsonapi");
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.data).toEqual([]);
    expect(anonymous.body).not.toHaveProperty("meta");
    expect(Object.keys(anonymous.body)).toEqual(["jsonapi", "data", "links"]);
  });

  it("D.3 #10 published list sorted by -created, paged by 2, following links.next; limit 500 caps at 50", async () => {
    const first = await f.get(
      "/jsonapi/node/article?filter[status]=1&sort=-created&page[limit]=2",
      f.tokens.alice,
    );
    expect(first.status).toBe(200);
    expect(first.body.jsonapi?.version).toBe("1.0");
    const items = many(first);
    expect(items).toHaveLength(2);
    for (const item of items) {
      expect(item.type).toBe("node--article");
      expect(item.id).toMatch(UUID);
      expect(item.links.self.href).toBe(
        `${f.api.url}/jsonapi/node/article/${item.id}?resourceVersion=id%3A1`,
      );
      expect(typeof item.attributes?.title).toBe("string");
    }
    expect(first.body.links?.prev).toBeUndefined();
    expect(first.body.links?.first).toBeUndefined();
    const next = first.body.links?.next?.href ?? "";
    expect(decodeURIComponent(next)).toContain("page[offset]=2");
    expect(decodeURIComponent(next)).toContain("page[limit]=2");
    expect(decodeURIComponent(next)).toContain("filter[status]=1");
    expect(decodeURIComponent(next)).toContain("sort=-created");

    // Walk every page; collect `created`, check prev/first from page 2 on and no next at the end.
    const published = f.articles("admin", true).length + f.articles("alice", true).length;
    const all = [...items];
    let url: string | undefined = next;
    let pages = 1;
    while (url) {
      const page = await f.get(url.slice(f.api.url.length), f.tokens.alice);
      expect(page.status).toBe(200);
      pages++;
      expect(page.body.links?.prev).toBeDefined();
      expect(decodeURIComponent(page.body.links?.first?.href ?? "")).toContain("page[offset]=0");
      all.push(...many(page));
      url = page.body.links?.next?.href;
      expect(pages).toBeLessThan(40);
    }
    const bobPublished = f.articles("bob", true).length;
    expect(all).toHaveLength(published + bobPublished);
    expect(pages).toBe(Math.ceil(all.length / 2));
    const created = all.map((item) => String(item.attributes?.created));
    expect(created).toEqual([...created].sort().reverse());
    expect(all.every((item) => item.attributes?.status === true)).toBe(true);

    const capped = await f.get("/jsonapi/node/article?page[limit]=500", f.tokens.admin);
    expect(capped.status).toBe(200);
    expect(many(capped).length).toBeLessThanOrEqual(50);
  });

  it("D.3 #11 (adapted: bob) unviewable items are omitted with meta.omitted; ?foo=1 is a 400", async () => {
    const res = await f.get("/jsonapi/node/article?page[limit]=50", f.tokens.bob);
    expect(res.status).toBe(200);
    const ids = many(res).map((item) => item.id);
    const [bobsDraft] = f.articles("bob", false);
    expect(ids).not.toContain(bobsDraft);
    const unpublished = [
      ...f.articles("admin", false),
      ...f.articles("alice", false),
      ...f.articles("bob", false),
    ];
    for (const id of unpublished) expect(ids).not.toContain(id);
    const omitted = res.body.meta?.omitted;
    expect(omitted?.detail).toBe(
      "Some resources have been omitted because of insufficient authorization.",
    );
    const keys = Object.keys(omitted?.links ?? {});
    expect(keys[0]).toBe("help");
    expect(omitted?.links.help?.href).toBe(
      "https://www.drupal.org/docs/8/modules/json-api/filtering#filters-access-control",
    );
    const items = keys.filter((key) => key !== "help");
    expect(items).toHaveLength(unpublished.length);
    for (const key of items) {
      expect(key).toMatch(/^item--[A-Za-z0-9]{7}$/);
      const link = omitted?.links[key];
      expect(link?.meta?.rel).toBe("item");
      expect(link?.meta?.detail).toBe(
        "The current user is not allowed to GET the selected resource.",
      );
      expect(unpublished.map((id) => `${f.api.url}/jsonapi/node/article/${id}`)).toContain(
        link?.href,
      );
    }

    const foo = await f.get("/jsonapi/node/article?foo=1", f.tokens.bob);
    expect(foo.status).toBe(400);
    expect(foo.headers.get("content-type")).toBe(JSONAPI);
    expect(firstError(foo)).toMatchObject({
      status: "400",
      title: "Bad Request",
      detail: "The following query parameters violate the JSON:API spec: 'foo'.",
    });
  });

  it("D.3 #12 unknown UUID → 404 document with links.via = request URL", async () => {
    const path = `/jsonapi/node/article/${randomUUID()}`;
    const res = await f.get(path, f.tokens.alice);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe(JSONAPI);
    expect(res.body.jsonapi).toEqual(jsonapiMember);
    expect(firstError(res)).toEqual({
      title: "Not Found",
      status: "404",
      detail:
        'The "entity" parameter was not converted for the path "/jsonapi/node/article/{entity}" (route name: "jsonapi.node--article.individual")',
      links: {
        via: { href: `${f.api.url}${path}` },
        info: { href: "https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.5" },
      },
    });
  });

  it("D.3 #13 POST as alice → 201 + Location; application/json → 415; no title → 422", async () => {
    const res = await f.send(
      "POST",
      "/jsonapi/node/article",
      article({ title: "T" }),
      f.tokens.alice,
    );
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe(JSONAPI);
    const data = one(res);
    expect(data.id).toMatch(UUID);
    expect(res.headers.get("location")).toBe(data.links.self.href.split("?")[0]);
    expect(res.headers.get("location")).toBe(`${f.api.url}/jsonapi/node/article/${data.id}`);
    expect(data.attributes?.title).toBe("T");
    expect(data.relationships?.uid?.data?.id).toBe(f.uuids.alice);
    expect(data.relationships?.uid?.data?.meta).toEqual({ drupal_internal__target_id: 2 });

    const wrongType = await f.send(
      "POST",
      "/jsonapi/node/article",
      article({ title: "T" }),
      f.tokens.alice,
      { "content-type": "application/json" },
    );
    expect(wrongType.status).toBe(415);
    expect(firstError(wrongType)).toMatchObject({
      status: "415",
      title: "Unsupported Media Type",
      detail: 'No route found that matches "Content-Type: application/json"',
    });

    const empty = await f.send("POST", "/jsonapi/node/article", article({}), f.tokens.alice);
    expect(empty.status).toBe(422);
    expect(empty.body.errors).toEqual([
      {
        title: "Unprocessable Content",
        status: "422",
        detail: "title: This value should not be null.",
        source: { pointer: "/data/attributes/title" },
      },
    ]);
  });

  it("D.3 #14 PATCH own article → 200; id mismatch → 400; bob → 403", async () => {
    const [id = ""] = f.articles("alice", true);
    const path = `/jsonapi/node/article/${id}`;
    const before = one(await f.get(path, f.tokens.alice));
    const res = await f.send(
      "PATCH",
      path,
      { data: { type: "node--article", id, attributes: { title: "T2" } } },
      f.tokens.alice,
    );
    expect(res.status).toBe(200);
    const data = one(res);
    expect(data.id).toBe(id);
    expect(data.attributes?.title).toBe("T2");
    expect(data.attributes?.body).toEqual(before.attributes?.body);
    expect(data.attributes?.drupal_internal__vid).toBe(2);
    expect(data.links.self.href).toBe(`${f.api.url}${path}?resourceVersion=id%3A2`);

    const other = randomUUID();
    const mismatch = await f.send(
      "PATCH",
      path,
      { data: { type: "node--article", id: other, attributes: { title: "T3" } } },
      f.tokens.alice,
    );
    expect(mismatch.status).toBe(400);
    expect(firstError(mismatch).detail).toBe(
      `The selected entity (${id}) does not match the ID in the payload (${other}).`,
    );

    const bob = await f.send(
      "PATCH",
      path,
      { data: { type: "node--article", id, attributes: { title: "T4" } } },
      f.tokens.bob,
    );
    expect(bob.status).toBe(403);
    expect(bob.headers.get("content-type")).toBe(JSONAPI);
    expect(firstError(bob)).toMatchObject({
      status: "403",
      detail: "The 'edit any article content' permission is required.",
    });
    expect(one(await f.get(path, f.tokens.alice)).attributes?.title).toBe("T2");
  });

  it("D.3 #15 DELETE own article → 204 empty; then GET → 404 document", async () => {
    const [, id = ""] = f.articles("alice", true);
    const path = `/jsonapi/node/article/${id}`;
    const res = await f.del(path, f.tokens.alice);
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    const after = await f.get(path, f.tokens.alice);
    expect(after.status).toBe(404);
    expect(firstError(after).title).toBe("Not Found");
  });
});
