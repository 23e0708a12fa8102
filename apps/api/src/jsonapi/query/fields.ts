import { badRequest } from "../errors.js";
import type { QueryValue } from "./parse-query.js";
import { isQueryTree } from "./parse-query.js";

/** Sparse fieldsets by resource type name; a type without an entry shows all its fields. */
export type Fieldsets = ReadonlyMap<string, ReadonlySet<string>>;

/** `fields[node--article]=title,created`. Unknown field names are ignored, as in Drupal. */
export function parseFieldsets(value: QueryValue | undefined): Fieldsets {
  const fieldsets = new Map<string, ReadonlySet<string>>();
  if (value === undefined) return fieldsets;
  if (!isQueryTree(value)) {
    throw badRequest("The fields parameter needs to be keyed by resource type name.");
  }
  for (const [type, list] of Object.entries(value)) {
    if (typeof list !== "string") {
      throw badRequest(`The fields[${type}] parameter needs to be a comma-separated list.`);
    }
    fieldsets.set(
      type,
      new Set(
        list
          .split(",")
          .map((name) => name.trim())
          .filter(Boolean),
      ),
    );
  }
  return fieldsets;
}

/** Whether the field is part of the response for this type. */
export function wants(fieldsets: Fieldsets, type: string, field: string): boolean {
  const set = fieldsets.get(type);
  return set === undefined || set.has(field);
}
