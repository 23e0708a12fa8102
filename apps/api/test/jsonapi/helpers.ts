import { randomUUID } from "node:crypto";
import { createArticleRepository } from "../../src/db/articles.js";
import type { TestApi } from "../helpers/test-api.js";
import { startTestApi, WEB_CLIENT } from "../helpers/test-api.js";

export const JSONAPI = "application/vnd.api+json";
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface JsonLink {
  href: string;
  meta?: { rel?: string; detail?: string; id?: string };
}

export interface JsonResource {
  type: string;
  id: string;
  links: { self: JsonLink };
  attributes?: Record<string, unknown>;
  relationships?: Record<
    string,
    {
      data: { type: string; id: string; meta?: Record<string, unknown> } | null;
      links?: Record<string, JsonLink>;
    }
  >;
}

export interface JsonError {
  title: string;
  status: string;
  detail: string;
  links?: { via?: JsonLink; info?: JsonLink };
  source?: { pointer: string };
}

/** The JSON:API documents this API answers with, as far as the tests look into them. */
export interface Doc {
  jsonapi?: { version: string; meta?: unknown };
  data?: JsonResource | JsonResource[];
  included?: JsonResource[];
  meta?: {
    omitted?: { detail: string; links: Record<string, JsonLink> };
    links?: { me?: JsonLink };
  };
  links?: Record<string, JsonLink>;
  errors?: JsonError[];
}

export interface Res {
  status: number;
  headers: Headers;
  text: string;
  body: Doc;
}

export interface Fixture {
  api: TestApi;
  uuids: { admin: string; alice: string; bob: string };
  tokens: {
    admin: string;
    alice: string;
    bob: string;
    /** Admin user, but a token with the reader scope only (D9). */
    adminAsReader: string;
  };
  /** Article UUIDs by author and status. */
  articles(author: "admin" | "alice" | "bob", published: boolean): string[];
  get(path: string, token?: string, headers?: Record<string, string>): Promise<Res>;
  send(
    method: string,
    path: string,
    body: unknown,
    token?: string,
    headers?: Record<string, string>,
  ): Promise<Res>;
  del(path: string, token?: string): Promise<Res>;
  /** Inserts an article directly (not through the API) and returns its UUID. */
  seed(author: "admin" | "alice" | "bob", published: boolean, title?: string): string;
  close(): Promise<void>;
}

export async function issue(api: TestApi, uid: number, scopes: string[]): Promise<string> {
  const response = await api.services.issuer.issue({
    clientId: WEB_CLIENT.id,
    uid,
    scopes,
    withRefreshToken: false,
  });
  return response.access_token;
}

export async function request(
  api: TestApi,
  method: string,
  path: string,
  options: { token?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Res> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${api.url}${path}`, { method, headers, body: options.body });
  const text = await response.text();
  let body: Doc = {};
  if (text !== "") {
    try {
      body = JSON.parse(text) as Doc;
    } catch {
      body = {};
    }
  }
  return { status: response.status, headers: response.headers, text, body };
}

export async function startFixture(): Promise<Fixture> {
  const api = await startTestApi();
  const uid = (name: string) => {
    const user = api.services.users.findByNameOrMail(name);
    if (!user) throw new Error(`demo user ${name} missing`);
    return user;
  };
  const admin = uid("admin");
  const alice = uid("alice");
  const bob = uid("bob");
  const tokens = {
    admin: await issue(api, admin.uid, ["administrator"]),
    alice: await issue(api, alice.uid, ["editor"]),
    bob: await issue(api, bob.uid, ["reader"]),
    adminAsReader: await issue(api, admin.uid, ["reader"]),
  };
  const ids = { admin: admin.uid, alice: alice.uid, bob: bob.uid };
  const articleRepository = createArticleRepository(api.services.db);
  return {
    api,
    uuids: { admin: admin.uuid, alice: alice.uuid, bob: bob.uuid },
    tokens,
    articles(author, published) {
      return (
        api.services.db
          .prepare("SELECT uuid FROM articles WHERE uid = ? AND status = ? ORDER BY nid")
          .all(ids[author], published ? 1 : 0) as Array<{ uuid: string }>
      ).map((row) => row.uuid);
    },
    get(path, token, headers) {
      return request(api, "GET", path, { token, headers });
    },
    send(method, path, body, token, headers) {
      return request(api, method, path, {
        token,
        headers: { "content-type": JSONAPI, ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
    },
    del(path, token) {
      return request(api, "DELETE", path, { token });
    },
    seed(author, published, title = `Seeded ${randomUUID()}`) {
      return articleRepository.create({
        uuid: randomUUID(),
        title,
        body: { value: "<p>Seeded</p>", format: "basic_html", summary: "" },
        status: published,
        promote: true,
        sticky: false,
        uid: ids[author],
        created: Math.floor(Date.now() / 1000) - 86_400 * 365,
      }).uuid;
    },
    close: () => api.close(),
  };
}

/** The first error of an error document (fails when there is none). */
export function firstError(res: Res): JsonError {
  const error = res.body.errors?.[0];
  if (!error) throw new Error(`no errors in ${res.status} ${res.text}`);
  return error;
}

/** `data` of an individual document. */
export function one(res: Res): JsonResource {
  const data = res.body.data;
  if (!data || Array.isArray(data))
    throw new Error(`no single resource in ${res.status} ${res.text}`);
  return data;
}

/** `data` of a collection document. */
export function many(res: Res): JsonResource[] {
  const data = res.body.data;
  if (!Array.isArray(data)) throw new Error(`no collection in ${res.status} ${res.text}`);
  return data;
}

export const article = (
  attributes: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) => ({
  data: { type: "node--article", attributes, ...extra },
});
