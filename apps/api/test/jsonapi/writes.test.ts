import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Fixture } from "./helpers.js";
import { article, firstError, JSONAPI, one, request, startFixture } from "./helpers.js";

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

const COLLECTION = "/jsonapi/node/article";
const post = (body: unknown, token = f.tokens.alice, headers?: Record<string, string>) =>
  f.send("POST", COLLECTION, body, token, headers);
const patch = (id: string, body: unknown, token = f.tokens.alice) =>
  f.send("PATCH", `${COLLECTION}/${id}`, body, token);

describe("create", () => {
  it("returns the full document with defaults and body.processed", async () => {
    const res = await post(
      article({
        title: "With body",
        body: { value: "<p>Hi <script>alert(1)</script></p>", format: "basic_html", summary: "S" },
      }),
    );
    expect(res.status).toBe(201);
    const data = one(res);
    expect(data.attributes).toMatchObject({
      title: "With body",
      langcode: "en",
      status: true,
      promote: true,
      sticky: false,
      drupal_internal__vid: 1,
      body: {
        value: "<p>Hi <script>alert(1)</script></p>",
        format: "basic_html",
        processed: "<p>Hi &lt;script&gt;alert(1)&lt;/script&gt;</p>",
        summary: "S",
      },
    });
    expect(String(data.attributes?.created)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    expect(res.body.links?.self?.href).toBe(res.headers.get("location"));
    // It is really stored.
    const again = await f.get(`${COLLECTION}/${data.id}`, f.tokens.alice);
    expect(one(again).attributes?.title).toBe("With body");
  });

  it("editors may create unpublished drafts (status) and see them", async () => {
    const res = await post(article({ title: "Draft", status: false }));
    expect(res.status).toBe(201);
    expect(one(res).attributes?.status).toBe(false);
    const bob = await f.get(`${COLLECTION}/${one(res).id}`, f.tokens.bob);
    expect(bob.status).toBe(403);
  });

  it("accepts a client-generated UUID; a malformed one is 422, an existing one 409", async () => {
    const id = randomUUID();
    const ok = await post(article({ title: "Mine" }, { id }));
    expect(ok.status).toBe(201);
    expect(one(ok).id).toBe(id);

    const again = await post(article({ title: "Mine" }, { id }));
    expect(again.status).toBe(409);
    expect(firstError(again).detail).toBe("Conflict: Entity already exists.");

    for (const bad of ["1' OR '1'='1", "not-a-uuid", 42]) {
      const res = await post(article({ title: "x" }, { id: bad }));
      expect(res.status).toBe(422);
      expect(firstError(res)).toEqual({
        title: "Unprocessable Content",
        status: "422",
        detail: "IDs should be properly generated and formatted UUIDs as described in RFC 4122.",
        source: { pointer: "/data/id" },
      });
    }
  });

  it("charset=utf-8 is tolerated; other media type parameters are 415", async () => {
    const ok = await post(article({ title: "cs" }), f.tokens.alice, {
      "content-type": "application/vnd.api+json; charset=UTF-8",
    });
    expect(ok.status).toBe(201);
    const ext = await post(article({ title: "ext" }), f.tokens.alice, {
      "content-type": 'application/vnd.api+json; ext="https://example.com/ext"',
    });
    expect(ext.status).toBe(415);
  });
});

describe("D8 415 wrong Content-Type (before anything else)", () => {
  it.each([
    "application/json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "application/vnd.api+json; foo=bar",
  ])("POST with %s → 415", async (type) => {
    const res = await post(article({ title: "x" }), f.tokens.alice, { "content-type": type });
    expect(res.status).toBe(415);
    expect(res.headers.get("content-type")).toBe(JSONAPI);
    expect(firstError(res)).toMatchObject({
      title: "Unsupported Media Type",
      status: "415",
      detail: `No route found that matches "Content-Type: ${type}"`,
    });
  });

  it("POST without Content-Type → 415", async () => {
    const res = await request(f.api, "POST", COLLECTION, {
      token: f.tokens.alice,
      body: JSON.stringify(article({ title: "x" })),
    });
    // fetch adds text/plain;charset=UTF-8 to string bodies; a raw request has none at all.
    expect(res.status).toBe(415);
  });

  it("PATCH with application/json → 415, and nothing changes", async () => {
    const [id = ""] = f.articles("alice", true);
    const res = await f.send(
      "PATCH",
      `${COLLECTION}/${id}`,
      { data: { type: "node--article", id, attributes: { title: "json" } } },
      f.tokens.alice,
      { "content-type": "application/json" },
    );
    expect(res.status).toBe(415);
    expect(one(await f.get(`${COLLECTION}/${id}`, f.tokens.alice)).attributes?.title).not.toBe(
      "json",
    );
  });
});

describe("400 malformed documents", () => {
  it.each([
    ["{", "Syntax error: the request body is not valid JSON."],
    ["", "Empty request body."],
    ["[]", "The request document must be an object with a `data` member."],
    ['"x"', "The request document must be an object with a `data` member."],
    ["{}", "The request document must be an object with a `data` member."],
    ['{"data":[]}', "The `data` member must be a single resource object."],
    ['{"data":null}', "The `data` member must be a single resource object."],
    ['{"data":{"attributes":{"title":"x"}}}', 'Resource object must include a "type".'],
    ['{"data":{"type":5,"attributes":{"title":"x"}}}', 'Resource object must include a "type".'],
    [
      '{"data":{"type":"node--article","attributes":[]}}',
      "The `attributes` member must be an object.",
    ],
    [
      '{"data":{"type":"node--article","attributes":{"title":"x"},"relationships":"uid"}}',
      "The `relationships` member must be an object.",
    ],
    [
      "[".repeat(20000) + "]".repeat(20000),
      "The request document must be an object with a `data` member.",
    ],
  ])("POST %s → 400", async (body, detail) => {
    const res = await post(body.length > 200 ? body : body);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe(JSONAPI);
    expect(firstError(res).detail).toBe(detail);
  });

  it("wrong type → 409", async () => {
    const res = await post({ data: { type: "node--page", attributes: { title: "x" } } });
    expect(res.status).toBe(409);
    expect(firstError(res)).toMatchObject({
      title: "Conflict",
      detail:
        "The provided type (node--page) does not match the destination resource types (node--article).",
    });
  });

  it("PATCH without id → 400 naming both ids", async () => {
    const [id = ""] = f.articles("alice", true);
    const res = await patch(id, { data: { type: "node--article", attributes: { title: "x" } } });
    expect(res.status).toBe(400);
    expect(firstError(res).detail).toBe(
      `The selected entity (${id}) does not match the ID in the payload ().`,
    );
  });

  it("a body over 1 MiB → 413, not 500", async () => {
    const res = await post(article({ title: "x".repeat(1024 * 1024 + 10) }));
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toBe(JSONAPI);
  });
});

describe("422 validation: one error per violation", () => {
  it("several violations at once, each with its pointer", async () => {
    const res = await post(article({ title: 7, status: "yes", nonsense: 1, uid: 2 }));
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      {
        title: "Unprocessable Content",
        status: "422",
        detail: "title.0.value: This value should be of the correct primitive type.",
        source: { pointer: "/data/attributes/title" },
      },
      {
        title: "Unprocessable Content",
        status: "422",
        detail: "status.0.value: This value should be of the correct primitive type.",
        source: { pointer: "/data/attributes/status" },
      },
      {
        title: "Unprocessable Content",
        status: "422",
        detail: "The attribute nonsense does not exist on the node--article resource type.",
        source: { pointer: "/data/attributes/nonsense" },
      },
      {
        title: "Unprocessable Content",
        status: "422",
        detail: "The attribute uid is a relationship; send it in `relationships`.",
        source: { pointer: "/data/attributes/uid" },
      },
    ]);
  });

  it.each([
    [{ title: null }, "title: This value should not be null.", "/data/attributes/title"],
    [{ title: "   " }, "title: This value should not be null.", "/data/attributes/title"],
    [
      { title: "x".repeat(256) },
      "title: This value is too long. It should have 255 characters or less.",
      "/data/attributes/title",
    ],
    [
      { title: "x", langcode: "de" },
      "langcode.0.value: The value you selected is not a valid choice.",
      "/data/attributes/langcode",
    ],
    [
      { title: "x", body: { value: "v", format: "full_html" } },
      "body.0.format: The value you selected is not a valid choice.",
      "/data/attributes/body",
    ],
    [
      { title: "x", body: "text" },
      "body.0: This value should be of the correct type.",
      "/data/attributes/body",
    ],
    [
      { title: "x", created: "last week" },
      'created.0.value: The specified date is not in an accepted format: "Y-m-d\\TH:i:sP" (RFC 3339).',
      "/data/attributes/created",
    ],
  ])("%j → 422", async (attributes, detail, pointer) => {
    const res = await post(article(attributes), f.tokens.admin);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { title: "Unprocessable Content", status: "422", detail, source: { pointer } },
    ]);
  });

  it("unknown relationships and bad uid identifiers are 422", async () => {
    const tags = await post(
      article({ title: "x" }, { relationships: { field_tags: { data: [] } } }),
    );
    expect(tags.status).toBe(422);
    expect(firstError(tags).source).toEqual({ pointer: "/data/relationships/field_tags" });
    const ghost = randomUUID();
    const missing = await post(
      article(
        { title: "x" },
        { relationships: { uid: { data: { type: "user--user", id: ghost } } } },
      ),
      f.tokens.admin,
    );
    expect(missing.status).toBe(422);
    expect(firstError(missing).detail).toBe(
      `uid.0.target_id: The referenced entity (user: ${ghost}) does not exist.`,
    );
    const wrongType = await post(
      article(
        { title: "x" },
        { relationships: { uid: { data: { type: "node--article", id: ghost } } } },
      ),
      f.tokens.admin,
    );
    expect(wrongType.status).toBe(422);
    const nullUid = await post(
      article({ title: "x" }, { relationships: { uid: { data: null } } }),
      f.tokens.admin,
    );
    expect(nullUid.status).toBe(422);
    expect(firstError(nullUid).detail).toBe("uid: This value should not be null.");
  });
});

describe("update", () => {
  it("only sent members change; vid is bumped; changed moves; round-tripping a GET document works", async () => {
    const id = f.seed("alice", true, "Round trip");
    const before = one(await f.get(`${COLLECTION}/${id}`, f.tokens.alice));
    // Send the whole document back (including read-only and administrative members, unchanged).
    const res = await patch(id, {
      data: {
        ...before,
        attributes: { ...before.attributes, title: "Round trip 2" },
      },
    });
    expect(res.status).toBe(200);
    const after = one(res);
    expect(after.attributes?.title).toBe("Round trip 2");
    expect(after.attributes?.body).toEqual(before.attributes?.body);
    expect(after.attributes?.created).toBe(before.attributes?.created);
    expect(after.attributes?.drupal_internal__vid).toBe(2);
  });

  it("editors may publish/unpublish their own article", async () => {
    const id = f.seed("alice", false);
    const res = await patch(id, {
      data: { type: "node--article", id, attributes: { status: true } },
    });
    expect(res.status).toBe(200);
    expect(one(res).attributes?.status).toBe(true);
    expect((await f.get(`${COLLECTION}/${id}`, f.tokens.bob)).status).toBe(200);
  });

  it("body can be cleared with null", async () => {
    const id = f.seed("alice", true);
    const res = await patch(id, {
      data: { type: "node--article", id, attributes: { body: null } },
    });
    expect(res.status).toBe(200);
    expect(one(res).attributes?.body).toBeNull();
  });

  it("PATCH of an unknown or malformed UUID → 404", async () => {
    for (const id of [randomUUID(), "not-a-uuid", "1' OR '1'='1"]) {
      const res = await patch(encodeURIComponent(id), {
        data: { type: "node--article", id, attributes: {} },
      });
      expect(res.status).toBe(404);
    }
  });

  it("DELETE of an unknown UUID → 404; a second DELETE → 404", async () => {
    const id = f.seed("alice", true);
    expect((await f.del(`${COLLECTION}/${id}`, f.tokens.alice)).status).toBe(204);
    expect((await f.del(`${COLLECTION}/${id}`, f.tokens.alice)).status).toBe(404);
    expect((await f.del(`${COLLECTION}/${randomUUID()}`, f.tokens.admin)).status).toBe(404);
  });
});
