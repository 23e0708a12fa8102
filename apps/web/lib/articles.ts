import {
  type JsonApiDocument,
  type JsonApiResource,
  includedResource,
  jsonApiQuery,
} from "next-token-bff/client";

/**
 * Articles (`node--article`) as the pages show them, and the queries that load them. Shared by
 * server components (through the server upstream client) and client components (through the
 * proxy), so both ask the upstream the same questions.
 */

export const ARTICLE_TYPE = "node--article";
export const ARTICLES_PATH = "/jsonapi/node/article";
export const PAGE_SIZE = 10;
/** Highest `?page=` offset accepted from the address bar. */
export const MAX_OFFSET = 100_000;

export interface ArticleAttributes {
  title: string;
  status: boolean;
  created: string;
  changed: string;
  body?: { value: string | null; format?: string; processed?: string; summary?: string } | null;
}

interface UserAttributes {
  display_name?: string;
  name?: string;
}

export interface ArticleView {
  id: string;
  title: string;
  published: boolean;
  created: string;
  changed: string;
  author: string;
  /** The author's numeric uid (as a string) and UUID, for "own article" checks. */
  authorUid: string | null;
  authorUuid: string | null;
  /** The text as written (`body.value`), for the edit form. */
  body: string;
  /** Its text format (`plain_text`, `basic_html`, …): kept when the article is saved. */
  bodyFormat: string;
  /** The text to show, without markup (React escapes it; no upstream HTML is injected). */
  bodyText: string;
}

export type ArticleResource = JsonApiResource<ArticleAttributes>;
export type ArticleListDocument = JsonApiDocument<ArticleResource[]>;
export type ArticleDocument = JsonApiDocument<ArticleResource>;

export type StatusFilter = "all" | "published" | "unpublished";

export function toArticleView(
  resource: ArticleResource,
  document: Pick<JsonApiDocument<unknown>, "included">,
): ArticleView {
  const uid = resource.relationships?.uid;
  const author = includedResource<UserAttributes>(document, uid);
  const target = uid?.data !== undefined && !Array.isArray(uid.data) ? uid.data : null;
  const targetId = target?.meta?.drupal_internal__target_id;
  const attributes = resource.attributes;
  return {
    id: resource.id,
    title: attributes?.title ?? "(untitled)",
    published: attributes?.status === true,
    created: attributes?.created ?? "",
    changed: attributes?.changed ?? "",
    author: author?.attributes?.display_name ?? author?.attributes?.name ?? "Unknown author",
    authorUid:
      typeof targetId === "number" || typeof targetId === "string" ? String(targetId) : null,
    authorUuid: target?.id ?? null,
    body: attributes?.body?.value ?? "",
    bodyFormat: attributes?.body?.format ?? "plain_text",
    bodyText:
      attributes?.body?.format === "plain_text" || attributes?.body?.format === undefined
        ? (attributes?.body?.value ?? "")
        : htmlToText(attributes.body.processed ?? attributes.body.value ?? ""),
  };
}

const entities: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  "#39": "'",
  apos: "'",
  nbsp: " ",
};

/** Formatted text as plain text: paragraphs and line breaks kept, every tag dropped. */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|h[1-6]|li|blockquote|pre|div)>/gi, "\n\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_, name: string) => entities[name] ?? "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const listFields = {
  include: "uid",
  "fields[node--article]": "title,status,created,changed,uid",
  "fields[user--user]": "display_name,name",
};

/** The list query: newest first, with the author, one page from `offset`. */
export function articleListPath(options: {
  offset?: number;
  title?: string;
  status?: StatusFilter;
}): string {
  const title = options.title?.trim() ?? "";
  return `${ARTICLES_PATH}${jsonApiQuery({
    ...listFields,
    sort: "-created",
    "page[limit]": PAGE_SIZE,
    "page[offset]": options.offset && options.offset > 0 ? options.offset : undefined,
    "filter[title][condition][path]": title !== "" ? "title" : undefined,
    "filter[title][condition][operator]": title !== "" ? "CONTAINS" : undefined,
    "filter[title][condition][value]": title !== "" ? title : undefined,
    "filter[status]":
      options.status === "published" ? 1 : options.status === "unpublished" ? 0 : undefined,
  })}`;
}

export function articlePath(id: string): string {
  return `${ARTICLES_PATH}/${encodeURIComponent(id)}${jsonApiQuery({ include: "uid" })}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isArticleId = (value: string) => UUID.test(value);

/** Who is looking: the session's upstream user id and roles (the upstream stays the authority). */
export interface Viewer {
  sub: string;
  roles: readonly string[];
}

export function mayCreate(viewer: Viewer): boolean {
  return viewer.roles.includes("administrator") || viewer.roles.includes("editor");
}

/** Edit and delete: administrators any article, editors their own. */
export function mayChange(viewer: Viewer, article: Pick<ArticleView, "authorUid" | "authorUuid">) {
  if (viewer.roles.includes("administrator")) return true;
  if (!viewer.roles.includes("editor")) return false;
  return article.authorUid === viewer.sub || article.authorUuid === viewer.sub;
}

// Built once: a new Intl.DateTimeFormat per call was 7 % of a /articles render (issue 7 profile).
const dateFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

/** `2025-11-20T10:00:00+00:00` → `20 Nov 2025`, the same on server and browser (UTC). */
export function formatDate(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "—";
  return dateFormat.format(date);
}

/** The create/update document. */
export function articleWriteDocument(
  values: { title: string; body: string; bodyFormat?: string; published: boolean },
  id?: string,
) {
  return {
    data: {
      type: ARTICLE_TYPE,
      ...(id !== undefined ? { id } : {}),
      attributes: {
        title: values.title,
        status: values.published,
        body: { value: values.body, format: values.bodyFormat ?? "plain_text" },
      },
    },
  };
}
