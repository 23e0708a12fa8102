import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Caller } from "../../src/auth/caller.js";
import { permissionsOf } from "../../src/auth/permissions.js";
import type { Permission } from "../../src/auth/permissions.js";
import type { User } from "../../src/db/users.js";
import { serializeUser } from "../../src/jsonapi/serialize-user.js";
import type { Fixture } from "./helpers.js";
import { firstError, JSONAPI, many, one, startFixture } from "./helpers.js";

/** `expect.any` is typed `any`; what it returns is a matcher object. */
const anyString: unknown = expect.any(String);

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.close());

const USERS = "/jsonapi/user/user";

describe("user--user individual", () => {
  it("self: full attributes including mail, never pass", async () => {
    const res = await f.get(`${USERS}/${f.uuids.alice}`, f.tokens.alice);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(JSONAPI);
    const data = one(res);
    expect(data.type).toBe("user--user");
    expect(data.id).toBe(f.uuids.alice);
    expect(data.links.self.href).toBe(`${f.api.url}${USERS}/${f.uuids.alice}`);
    expect(Object.keys(data.attributes ?? {}).sort()).toEqual(
      [
        "changed",
        "created",
        "display_name",
        "drupal_internal__uid",
        "langcode",
        "mail",
        "name",
        "status",
      ].sort(),
    );
    expect(data.attributes).toMatchObject({
      display_name: "alice",
      name: "alice",
      drupal_internal__uid: 2,
      mail: "alice@example.com",
      status: true,
    });
    expect(String(data.attributes?.created)).toMatch(/\+00:00$/);
    expect(res.text).not.toContain("argon2");
  });

  it("another user, seen by a reader or an editor: label only", async () => {
    for (const token of [f.tokens.bob, f.tokens.alice]) {
      const target = token === f.tokens.bob ? f.uuids.alice : f.uuids.bob;
      const res = await f.get(`${USERS}/${target}`, token);
      expect(res.status).toBe(200);
      expect(one(res).attributes).toEqual({ display_name: anyString });
    }
  });

  it("an administrator sees everyone in full, mail included", async () => {
    const res = await f.get(`${USERS}/${f.uuids.bob}`, f.tokens.admin);
    expect(one(res).attributes).toMatchObject({ name: "bob", mail: "bob@example.com" });
  });

  it("anonymous → 403 with /data pointer; unknown or malformed UUID → 404", async () => {
    const anon = await f.get(`${USERS}/${f.uuids.alice}`);
    expect(anon.status).toBe(403);
    expect(firstError(anon)).toMatchObject({
      detail:
        "The current user is not allowed to GET the selected resource. The 'access content' permission is required.",
      source: { pointer: "/data" },
    });
    for (const id of [randomUUID(), "nope"]) {
      const res = await f.get(`${USERS}/${id}`, f.tokens.alice);
      expect(res.status).toBe(404);
      expect(firstError(res).detail).toBe(
        'The "entity" parameter was not converted for the path "/jsonapi/user/user/{entity}" (route name: "jsonapi.user--user.individual")',
      );
    }
  });
});

describe("user--user collection", () => {
  it("anonymous → 403", async () => {
    const res = await f.get(USERS);
    expect(res.status).toBe(403);
  });

  it("bob: every user, himself in full, others label-only", async () => {
    const res = await f.get(USERS, f.tokens.bob);
    expect(res.status).toBe(200);
    const users = many(res);
    expect(users.map((user) => user.id)).toEqual([f.uuids.admin, f.uuids.alice, f.uuids.bob]);
    for (const user of users) {
      if (user.id === f.uuids.bob) expect(user.attributes?.mail).toBe("bob@example.com");
      else expect(user.attributes).toEqual({ display_name: anyString });
    }
  });

  it("C.9 (3): a caller may filter among own by drupal_internal__uid; others' ids give nothing", async () => {
    const own = await f.get(`${USERS}?filter[drupal_internal__uid]=3`, f.tokens.bob);
    expect(many(own).map((user) => user.id)).toEqual([f.uuids.bob]);
    const other = await f.get(`${USERS}?filter[drupal_internal__uid]=2`, f.tokens.bob);
    expect(many(other)).toEqual([]);
    const admin = await f.get(`${USERS}?filter[name]=alice`, f.tokens.admin);
    expect(many(admin).map((user) => user.id)).toEqual([f.uuids.alice]);
  });

  it("sort, paging and unknown fields", async () => {
    const sorted = await f.get(`${USERS}?sort=-name&page[limit]=2`, f.tokens.admin);
    expect(many(sorted).map((user) => user.attributes?.name)).toEqual(["bob", "alice"]);
    expect(decodeURIComponent(sorted.body.links?.next?.href ?? "")).toContain("page[offset]=2");
    expect((await f.get(`${USERS}?sort=display_name`, f.tokens.admin)).status).toBe(400);
    expect((await f.get(`${USERS}?filter[roles]=administrator`, f.tokens.admin)).status).toBe(400);
    expect((await f.get(`${USERS}?include=roles`, f.tokens.admin)).status).toBe(400);
  });
});

describe("serializeUser access rules (unit)", () => {
  const user: User = {
    uid: 9,
    uuid: randomUUID(),
    name: "zed",
    mail: "zed@example.com",
    status: true,
    roles: ["reader"],
    created: 0,
    changed: 0,
  };
  const callerWith = (permissions: Permission[], uid = 1): Caller => ({
    kind: "user",
    user: { ...user, uid, uuid: randomUUID(), name: `u${uid}` },
    clientId: "next-web",
    scopes: [],
    roles: [],
    permissions: new Set(permissions),
  });

  it("`access user profiles` shows active users in full, but not their mail", () => {
    const object = serializeUser(
      user,
      callerWith(["access content", "access user profiles"]),
      "http://x",
    );
    expect(object.attributes).toMatchObject({ name: "zed" });
    expect(object.attributes).not.toHaveProperty("mail");
  });

  it("`access user profiles` shows blocked users label-only", () => {
    const object = serializeUser(
      { ...user, status: false },
      callerWith(["access content", "access user profiles"]),
      "http://x",
    );
    expect(object.attributes).toEqual({ display_name: "zed" });
  });

  it("`administer users` shows mail; the user themself sees their mail", () => {
    expect(
      serializeUser(user, callerWith([...permissionsOf(["administrator"])]), "http://x").attributes,
    ).toHaveProperty("mail", "zed@example.com");
    expect(
      serializeUser(user, callerWith(["access content"], 9), "http://x").attributes,
    ).toHaveProperty("mail", "zed@example.com");
  });

  it("pass is not serialized even when the object carries one", () => {
    const withHash = { ...user, pass: "$argon2id$secret" } as User;
    const object = serializeUser(
      withHash,
      callerWith([...permissionsOf(["administrator"])]),
      "http://x",
    );
    expect(JSON.stringify(object)).not.toContain("argon2");
  });
});
