import type { Caller } from "../auth/caller.js";
import type { Article, ArticleBody, ArticleChanges } from "../db/articles.js";
import type { User } from "../db/users.js";
import { mayAdministerArticles } from "./access.js";
import { badRequest, forbidden, JsonApiError, unprocessable } from "./errors.js";
import { ARTICLE_TYPE, USER_TYPE } from "./links.js";
import { textFormats } from "./text-format.js";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The `data` member of a write document, after the checks Drupal makes before denormalizing:
 * a resource object (400), with a `type` (400) that is this resource type (409).
 */
export function readResourceObject(document: unknown, type: string): Json {
  if (!isObject(document) || !("data" in document)) {
    throw badRequest("The request document must be an object with a `data` member.");
  }
  const data = document.data;
  if (!isObject(data)) throw badRequest("The `data` member must be a single resource object.");
  if (typeof data.type !== "string" || data.type === "") {
    throw badRequest('Resource object must include a "type".');
  }
  if (data.type !== type) {
    throw JsonApiError.of(
      409,
      `The provided type (${data.type}) does not match the destination resource types (${type}).`,
    );
  }
  return data;
}

interface Violation {
  detail: string;
  pointer: string;
}

export interface ArticleWriteContext {
  mode: "POST" | "PATCH";
  caller: Caller;
  /** The article being patched. */
  current?: Article;
  findUserByUuid(uuid: string): User | undefined;
}

const attributePointer = (name: string) => `/data/attributes/${name}`;
const primitive = (name: string): Violation => ({
  detail: `${name}.0.value: This value should be of the correct primitive type.`,
  pointer: attributePointer(name),
});

function readBody(value: unknown, violations: Violation[]): ArticleBody | null | undefined {
  if (value === null) return null;
  const pointer = attributePointer("body");
  if (!isObject(value)) {
    violations.push({ detail: "body.0: This value should be of the correct type.", pointer });
    return undefined;
  }
  let ok = true;
  for (const key of Object.keys(value)) {
    if (!["value", "format", "summary", "processed"].includes(key)) {
      violations.push({ detail: `body.0.${key}: The property does not exist.`, pointer });
      ok = false;
    }
  }
  const text = value.value ?? null;
  const format = value.format ?? "basic_html";
  const summary = value.summary ?? "";
  if (text !== null && typeof text !== "string") {
    violations.push({
      detail: "body.0.value: This value should be of the correct primitive type.",
      pointer,
    });
    ok = false;
  }
  if (typeof format !== "string" || !(textFormats as readonly string[]).includes(format)) {
    violations.push({
      detail: "body.0.format: The value you selected is not a valid choice.",
      pointer,
    });
    ok = false;
  }
  if (typeof summary !== "string") {
    violations.push({
      detail: "body.0.summary: This value should be of the correct primitive type.",
      pointer,
    });
    ok = false;
  }
  // `processed` is computed from value + format; a sent copy is ignored (GET → PATCH round trips).
  return ok
    ? { value: text as string | null, format: format as string, summary: summary as string }
    : undefined;
}

/**
 * Turns a node--article write document into changes, in Drupal's order: denormalization errors
 * (unknown members, wrong types) → 422; field access (mass assignment) → 403; entity
 * validation (required title, lengths) → 422 with one error per violation.
 */
export function readArticleChanges(data: Json, context: ArticleWriteContext): ArticleChanges {
  const { mode, caller, current } = context;
  const violations: Violation[] = [];
  const changes: ArticleChanges = {};
  const sentReadOnly = new Map<string, unknown>();

  const attributes = data.attributes ?? {};
  if (!isObject(attributes)) throw badRequest("The `attributes` member must be an object.");
  for (const [name, value] of Object.entries(attributes)) {
    switch (name) {
      case "title":
        if (value === null || typeof value === "string") changes.title = value as string;
        else violations.push(primitive(name));
        break;
      case "status":
      case "promote":
      case "sticky":
        if (typeof value === "boolean") changes[name] = value;
        else violations.push(primitive(name));
        break;
      case "created":
        if (typeof value === "string" && RFC3339.test(value) && !Number.isNaN(Date.parse(value))) {
          changes.created = Math.floor(Date.parse(value) / 1000);
        } else {
          violations.push({
            detail: `created.0.value: The specified date is not in an accepted format: "Y-m-d\\TH:i:sP" (RFC 3339).`,
            pointer: attributePointer(name),
          });
        }
        break;
      case "langcode":
        if (value !== "en") {
          violations.push({
            detail: "langcode.0.value: The value you selected is not a valid choice.",
            pointer: attributePointer(name),
          });
        }
        break;
      case "changed":
        break; // set on every save, as Drupal's ChangedItem does
      case "drupal_internal__nid":
      case "drupal_internal__vid":
        sentReadOnly.set(name, value);
        break;
      case "uid":
        violations.push({
          detail: "The attribute uid is a relationship; send it in `relationships`.",
          pointer: attributePointer(name),
        });
        break;
      default: {
        const body = name === "body" ? readBody(value, violations) : undefined;
        if (name === "body") {
          if (body !== undefined) changes.body = body;
          break;
        }
        violations.push({
          detail: `The attribute ${name} does not exist on the ${ARTICLE_TYPE} resource type.`,
          pointer: attributePointer(name),
        });
      }
    }
  }

  const relationships = data.relationships ?? {};
  if (!isObject(relationships)) throw badRequest("The `relationships` member must be an object.");
  for (const [name, value] of Object.entries(relationships)) {
    const pointer = `/data/relationships/${name}`;
    if (name !== "uid") {
      violations.push({
        detail: `The relationship ${name} does not exist on the ${ARTICLE_TYPE} resource type.`,
        pointer,
      });
      continue;
    }
    const identifier = isObject(value) ? value.data : undefined;
    if (identifier === null) {
      violations.push({ detail: "uid: This value should not be null.", pointer });
    } else if (!isObject(identifier) || typeof identifier.id !== "string") {
      violations.push({
        detail: "uid: The relationship needs a resource identifier object in `data`.",
        pointer,
      });
    } else if (identifier.type !== USER_TYPE) {
      violations.push({
        detail: `The provided type (${String(identifier.type)}) does not match the destination resource types (${USER_TYPE}).`,
        pointer,
      });
    } else {
      const user = UUID_PATTERN.test(identifier.id)
        ? context.findUserByUuid(identifier.id)
        : undefined;
      if (!user) {
        violations.push({
          detail: `uid.0.target_id: The referenced entity (user: ${identifier.id}) does not exist.`,
          pointer,
        });
      } else {
        changes.uid = user.uid;
      }
    }
  }
  if (violations.length > 0) throw unprocessable(violations);

  // Field access: administrative fields need `bypass node access`. On PATCH, sending the
  // current value unchanged is allowed (Drupal `checkPatchFieldAccess`), so documents can be
  // round-tripped.
  const admin = mayAdministerArticles(caller);
  const denied = (field: string, pointer: string, extra = "") =>
    forbidden(`The current user is not allowed to ${mode} the selected field (${field}).${extra}`, {
      pointer,
    });
  for (const [name, value] of sentReadOnly) {
    const currentValue = name === "drupal_internal__nid" ? current?.nid : current?.vid;
    if (mode === "POST" || value !== currentValue) {
      throw denied(name, attributePointer(name), " The entity ID cannot be changed.");
    }
  }
  if (!admin) {
    for (const name of ["created", "promote", "sticky"] as const) {
      const value = changes[name];
      if (value === undefined) continue;
      if (mode === "POST" || value !== current?.[name]) throw denied(name, attributePointer(name));
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- `name` is one of the three literal keys above
      delete changes[name];
    }
    if (changes.uid !== undefined) {
      const allowedUid =
        mode === "PATCH" ? current?.uid : caller.kind === "user" ? caller.user.uid : undefined;
      if (changes.uid !== allowedUid) throw denied("uid", "/data/relationships/uid");
      if (mode === "PATCH") delete changes.uid;
    }
  }

  // Entity validation.
  const titleSent = "title" in changes;
  if ((mode === "POST" && !titleSent) || (titleSent && (changes.title ?? "").trim() === "")) {
    violations.push({
      detail: "title: This value should not be null.",
      pointer: attributePointer("title"),
    });
  } else if (
    titleSent &&
    // eslint-disable-next-line @typescript-eslint/no-misused-spread -- counts code points, as Drupal's 255-character limit does
    [...(changes.title ?? "")].length > 255
  ) {
    violations.push({
      detail: "title: This value is too long. It should have 255 characters or less.",
      pointer: attributePointer("title"),
    });
  }
  if (violations.length > 0) throw unprocessable(violations);
  return changes;
}
