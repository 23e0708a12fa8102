import type { Caller } from "../../auth/caller.js";
import { can } from "../../auth/caller.js";
import { badRequest, forbidden } from "../errors.js";

export type FieldType = "string" | "integer" | "boolean" | "timestamp" | "uuid";

/** A filterable/sortable field: a constant SQL expression from this allow-list, never request text. */
export interface QueryField {
  sql: string;
  type: FieldType;
  /** The path reaches into the author/user table, which needs the user access guard. */
  throughUser: boolean;
}

export type FieldResolver = (path: string) => QueryField;

interface MapEntry {
  sql: string;
  type: FieldType;
  /** Only callers for whom this returns true may filter or sort on the field. */
  access?: (caller: Caller) => boolean;
}

/** user--user fields by public name, against the `u` alias. `pass` is never filterable. */
const userFields: Record<string, MapEntry | "forbidden"> = {
  id: { sql: "u.uuid", type: "uuid" },
  drupal_internal__uid: { sql: "u.uid", type: "integer" },
  name: { sql: "u.name", type: "string" },
  status: { sql: "u.status", type: "boolean" },
  created: { sql: "u.created", type: "timestamp" },
  changed: { sql: "u.changed", type: "timestamp" },
  // Drupal: `user_jsonapi_entity_field_filter_access` — only user administrators filter on mail.
  mail: { sql: "u.mail", type: "string", access: (caller) => can(caller, "administer users") },
  pass: "forbidden",
};

/** node--article fields by public name (and `field.property`), against the `a` alias. */
const articleFields: Record<string, MapEntry> = {
  id: { sql: "a.uuid", type: "uuid" },
  drupal_internal__nid: { sql: "a.nid", type: "integer" },
  drupal_internal__vid: { sql: "a.vid", type: "integer" },
  langcode: { sql: "'en'", type: "string" },
  status: { sql: "a.status", type: "boolean" },
  title: { sql: "a.title", type: "string" },
  created: { sql: "a.created", type: "timestamp" },
  changed: { sql: "a.changed", type: "timestamp" },
  promote: { sql: "a.promote", type: "boolean" },
  sticky: { sql: "a.sticky", type: "boolean" },
  body: { sql: "a.body_value", type: "string" },
  "body.value": { sql: "a.body_value", type: "string" },
  "body.summary": { sql: "a.body_summary", type: "string" },
  "body.format": { sql: "a.body_format", type: "string" },
  uid: { sql: "a.uid", type: "integer" },
  "uid.meta.drupal_internal__target_id": { sql: "a.uid", type: "integer" },
  "uid.target_id": { sql: "a.uid", type: "integer" },
};

function doesNotExist(field: string, path: string) {
  return badRequest(
    `Invalid nested filtering. The field \`${field}\`, given in the path \`${path}\`, does not exist.`,
  );
}

function notAuthorized(field: string, path: string) {
  return forbidden(
    `The current user is not authorized to filter by the \`${field}\` field, given in the path \`${path}\`.`,
  );
}

function resolveUserField(rest: string, path: string, caller: Caller): QueryField {
  const [field = rest] = rest.split(".");
  const entry = Object.hasOwn(userFields, rest) ? userFields[rest] : undefined;
  if (entry === "forbidden") throw notAuthorized(field, path);
  if (!entry) throw doesNotExist(Object.hasOwn(userFields, field) ? rest : field, path);
  if (entry.access && !entry.access(caller)) throw notAuthorized(field, path);
  return { sql: entry.sql, type: entry.type, throughUser: true };
}

/** Resolves node--article paths, including `uid.<user field>` through the author. */
export function articleFieldResolver(caller: Caller): FieldResolver {
  return (path) => {
    const entry = Object.hasOwn(articleFields, path) ? articleFields[path] : undefined;
    if (entry) return { sql: entry.sql, type: entry.type, throughUser: false };
    if (path.startsWith("uid.") && !path.startsWith("uid.meta.")) {
      const rest = path.slice(4).replace(/^entity\./, "");
      return resolveUserField(rest, path, caller);
    }
    const [first = path] = path.split(".");
    throw doesNotExist(Object.hasOwn(articleFields, first) ? path : first, path);
  };
}

/** Resolves user--user paths. */
export function userFieldResolver(caller: Caller): FieldResolver {
  return (path) => resolveUserField(path, path, caller);
}
