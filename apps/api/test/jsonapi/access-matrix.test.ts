import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Fixture } from "./helpers.js";
import { article, firstError, JSONAPI, many, startFixture } from "./helpers.js";

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

type Who = "anonymous" | "bob" | "alice" | "admin";
type Author = "admin" | "alice" | "bob";
const token = (who: Who) => (who === "anonymous" ? undefined : f.tokens[who]);
const path = (id: string) => `/jsonapi/node/article/${id}`;
/** An author other than the caller (for "other" rows). */
const otherThan = (who: Who): Author => (who === "alice" ? "admin" : "alice");
const ownAuthor = (who: Exclude<Who, "anonymous">): Author => who;

const matrix: Array<{
  who: Who;
  list: number;
  readPublished: number;
  readOwnUnpublished?: number;
  readOtherUnpublished: number;
  create: number;
  editOwn?: number;
  editOther: number;
  deleteOwn?: number;
  deleteOther: number;
}> = [
  {
    who: "anonymous",
    list: 403,
    readPublished: 403,
    readOtherUnpublished: 403,
    create: 403,
    editOther: 403,
    deleteOther: 403,
  },
  {
    who: "bob",
    list: 200,
    readPublished: 200,
    readOwnUnpublished: 403, // readers lack `view own unpublished content`
    readOtherUnpublished: 403,
    create: 403,
    editOwn: 403,
    editOther: 403,
    deleteOwn: 403,
    deleteOther: 403,
  },
  {
    who: "alice",
    list: 200,
    readPublished: 200,
    readOwnUnpublished: 200,
    readOtherUnpublished: 403,
    create: 201,
    editOwn: 200,
    editOther: 403,
    deleteOwn: 204,
    deleteOther: 403,
  },
  {
    who: "admin",
    list: 200,
    readPublished: 200,
    readOwnUnpublished: 200,
    readOtherUnpublished: 200,
    create: 201,
    editOwn: 200,
    editOther: 200,
    deleteOwn: 204,
    deleteOther: 204,
  },
];

const patchTitle = (id: string, title: string) => ({
  data: { type: "node--article", id, attributes: { title } },
});

describe.each(matrix)("D4 permission matrix: $who", (row) => {
  const { who } = row;

  it(`list → ${row.list}`, async () => {
    const res = await f.get("/jsonapi/node/article", token(who));
    expect(res.status).toBe(row.list);
    expect(res.headers.get("content-type")).toBe(JSONAPI);
    if (row.list === 403) {
      expect(firstError(res)).toMatchObject({
        status: "403",
        detail: "The 'access content' permission is required.",
      });
    }
  });

  it(`read published → ${row.readPublished}`, async () => {
    const id = f.seed(otherThan(who), true);
    const res = await f.get(path(id), token(who));
    expect(res.status).toBe(row.readPublished);
  });

  if (row.readOwnUnpublished !== undefined && who !== "anonymous") {
    const expected = row.readOwnUnpublished;
    it(`read own unpublished → ${expected}`, async () => {
      const id = f.seed(ownAuthor(who), false);
      const res = await f.get(path(id), token(who));
      expect(res.status).toBe(expected);
      if (expected === 403) expect(firstError(res).source).toEqual({ pointer: "/data" });
    });
  }

  it(`read other's unpublished → ${row.readOtherUnpublished}`, async () => {
    const id = f.seed(otherThan(who), false);
    const res = await f.get(path(id), token(who));
    expect(res.status).toBe(row.readOtherUnpublished);
    if (row.readOtherUnpublished === 403) {
      expect(firstError(res)).toMatchObject({ status: "403", source: { pointer: "/data" } });
    }
  });

  it(`create → ${row.create}`, async () => {
    const res = await f.send(
      "POST",
      "/jsonapi/node/article",
      article({ title: `by ${who}` }),
      token(who),
    );
    expect(res.status).toBe(row.create);
    if (row.create === 403) {
      expect(res.headers.get("content-type")).toBe(JSONAPI);
      expect(firstError(res).status).toBe("403");
    }
  });

  if (row.editOwn !== undefined && who !== "anonymous") {
    const expected = row.editOwn;
    it(`edit own → ${expected}`, async () => {
      const id = f.seed(ownAuthor(who), true, "before");
      const res = await f.send("PATCH", path(id), patchTitle(id, "after"), token(who));
      expect(res.status).toBe(expected);
      const stored = f.api.services.db
        .prepare("SELECT title FROM articles WHERE uuid = ?")
        .get(id) as { title: string };
      expect(stored.title).toBe(expected === 200 ? "after" : "before");
    });
  }

  it(`edit other's → ${row.editOther}`, async () => {
    const id = f.seed(otherThan(who), true, "before");
    const res = await f.send("PATCH", path(id), patchTitle(id, "after"), token(who));
    expect(res.status).toBe(row.editOther);
    const stored = f.api.services.db
      .prepare("SELECT title FROM articles WHERE uuid = ?")
      .get(id) as { title: string };
    expect(stored.title).toBe(row.editOther === 200 ? "after" : "before");
  });

  if (row.deleteOwn !== undefined && who !== "anonymous") {
    const expected = row.deleteOwn;
    it(`delete own → ${expected}`, async () => {
      const id = f.seed(ownAuthor(who), true);
      const res = await f.del(path(id), token(who));
      expect(res.status).toBe(expected);
      const stillThere = f.api.services.db.prepare("SELECT 1 FROM articles WHERE uuid = ?").get(id);
      expect(stillThere === undefined).toBe(expected === 204);
    });
  }

  it(`delete other's → ${row.deleteOther}`, async () => {
    const id = f.seed(otherThan(who), true);
    const res = await f.del(path(id), token(who));
    expect(res.status).toBe(row.deleteOther);
    const stillThere = f.api.services.db.prepare("SELECT 1 FROM articles WHERE uuid = ?").get(id);
    expect(stillThere === undefined).toBe(row.deleteOther === 204);
  });
});

describe("D4 collections show each caller exactly what they may see", () => {
  const unpublishedCount = () =>
    (
      f.api.services.db.prepare("SELECT COUNT(*) AS n FROM articles WHERE status = 0").get() as {
        n: number;
      }
    ).n;

  it("admin sees unpublished items and gets no meta.omitted", async () => {
    const res = await f.get("/jsonapi/node/article?filter[status]=0", f.tokens.admin);
    expect(res.status).toBe(200);
    expect(many(res)).toHaveLength(unpublishedCount());
    const all = await f.get("/jsonapi/node/article?page[limit]=50", f.tokens.admin);
    expect(all.body.meta).toBeUndefined();
  });

  it("alice sees her own drafts; others' drafts are omitted, or silently filtered with a filter", async () => {
    const res = await f.get("/jsonapi/node/article?filter[status]=0", f.tokens.alice);
    expect(res.status).toBe(200);
    const aliceDrafts = f.articles("alice", false);
    expect(
      many(res)
        .map((item) => item.id)
        .sort(),
    ).toEqual([...aliceDrafts].sort());
    expect(res.body.meta).toBeUndefined();
  });

  it("bob filtering for unpublished gets an empty list (TemporaryQueryGuard), no omissions", async () => {
    const res = await f.get("/jsonapi/node/article?filter[status]=0", f.tokens.bob);
    expect(res.status).toBe(200);
    expect(many(res)).toEqual([]);
    expect(res.body.meta).toBeUndefined();
  });
});

describe("D9 scope × role: effective permissions are scope roles ∩ user roles", () => {
  it("admin (administrator role only) with only the reader scope holds no permission at all", async () => {
    const create = await f.send(
      "POST",
      "/jsonapi/node/article",
      article({ title: "narrow" }),
      f.tokens.adminAsReader,
    );
    expect(create.status).toBe(403);
    expect(firstError(create).detail).toBe("The 'access content' permission is required.");

    const own = f.seed("admin", true);
    const edit = await f.send("PATCH", path(own), patchTitle(own, "x"), f.tokens.adminAsReader);
    expect(edit.status).toBe(403);
    const remove = await f.del(path(own), f.tokens.adminAsReader);
    expect(remove.status).toBe(403);
    const draft = f.seed("alice", false);
    const read = await f.get(path(draft), f.tokens.adminAsReader);
    expect(read.status).toBe(403);
  });

  it("a user holding administrator + reader, with a reader-scoped token, can only read", async () => {
    const { issue } = await import("./helpers.js");
    const both = f.api.services.users.create({
      name: "both-roles",
      mail: "both@example.com",
      passHash: "not-a-real-hash",
      roles: ["administrator", "reader"],
    });
    const narrow = await issue(f.api, both.uid, ["reader"]);
    const list = await f.get("/jsonapi/node/article", narrow);
    expect(list.status).toBe(200);
    expect(list.body.meta?.omitted).toBeDefined(); // no bypass: drafts are omitted
    const create = await f.send("POST", "/jsonapi/node/article", article({ title: "n" }), narrow);
    expect(create.status).toBe(403);
    expect(firstError(create).detail).toBe("The 'create article content' permission is required.");
    const other = f.seed("alice", true);
    const edit = await f.send("PATCH", path(other), patchTitle(other, "x"), narrow);
    expect(edit.status).toBe(403);
    expect(firstError(edit).detail).toBe("The 'edit any article content' permission is required.");
    const remove = await f.del(path(other), narrow);
    expect(remove.status).toBe(403);
    const draft = f.seed("alice", false);
    expect((await f.get(path(draft), narrow)).status).toBe(403);

    const wide = await issue(f.api, both.uid, ["administrator"]);
    expect((await f.get(path(draft), wide)).status).toBe(200);
  });

  it("bob with an administrator scope gets nothing more than a reader", async () => {
    const { issue } = await import("./helpers.js");
    const bobUid = f.api.services.users.findByNameOrMail("bob")?.uid ?? 0;
    const escalated = await issue(f.api, bobUid, ["administrator", "reader"]);
    const create = await f.send(
      "POST",
      "/jsonapi/node/article",
      article({ title: "escalated" }),
      escalated,
    );
    expect(create.status).toBe(403);
  });

  it("a token whose scopes grant no role the user holds behaves like anonymous", async () => {
    const { issue } = await import("./helpers.js");
    const bobUid = f.api.services.users.findByNameOrMail("bob")?.uid ?? 0;
    const none = await issue(f.api, bobUid, ["editor"]);
    const res = await f.get("/jsonapi/node/article", none);
    expect(res.status).toBe(403);
  });

  it("a role removed after the token was issued is no longer effective", async () => {
    const { issue } = await import("./helpers.js");
    const alice = f.api.services.users.findByNameOrMail("alice");
    if (!alice) throw new Error("alice missing");
    const fresh = await issue(f.api, alice.uid, ["editor"]);
    f.api.services.users.setRoles(alice.uid, ["reader"]);
    try {
      const res = await f.send("POST", "/jsonapi/node/article", article({ title: "x" }), fresh);
      expect(res.status).toBe(403);
    } finally {
      f.api.services.users.setRoles(alice.uid, ["editor"]);
    }
  });
});
