import { badRequest } from "../errors.js";
import type { FieldResolver } from "./field-resolver.js";
import type { QueryValue } from "./parse-query.js";
import { isQueryTree } from "./parse-query.js";

export interface SortItem {
  path: string;
  direction: "ASC" | "DESC";
}

const MAX_ITEMS = 10;

/** `sort=-created,title` or `sort[k][path]=created&sort[k][direction]=DESC`. */
export function parseSort(value: QueryValue | undefined): SortItem[] {
  if (value === undefined) return [];
  const items: SortItem[] = [];
  if (typeof value === "string") {
    if (value.trim() === "")
      throw badRequest("You need to provide a value for the sort parameter.");
    for (const part of value.split(",")) {
      const trimmed = part.trim();
      const descending = trimmed.startsWith("-");
      const path = descending ? trimmed.slice(1) : trimmed;
      if (path === "") throw badRequest("You need to provide a field name for the sort parameter.");
      items.push({ path, direction: descending ? "DESC" : "ASC" });
    }
  } else if (isQueryTree(value)) {
    for (const item of Object.values(value)) {
      if (!isQueryTree(item) || typeof item.path !== "string" || item.path === "") {
        throw badRequest("You need to provide a field name for the sort parameter.");
      }
      const direction = item.direction ?? "ASC";
      if (typeof direction !== "string" || !/^(asc|desc)$/i.test(direction)) {
        throw badRequest('The sort direction must be either "ASC" or "DESC".');
      }
      items.push({ path: item.path, direction: direction.toUpperCase() as "ASC" | "DESC" });
    }
  } else {
    throw badRequest("The sort parameter needs to be a string or an array.");
  }
  if (items.length > MAX_ITEMS) throw badRequest("Too many sort fields.");
  return items;
}

/** ORDER BY from allow-listed expressions only, with the primary key as the final tie-breaker. */
export function compileSort(
  items: SortItem[],
  resolve: FieldResolver,
  tieBreaker: string,
): { orderBy: string; throughUser: boolean } {
  let throughUser = false;
  const parts = items.map((item) => {
    const field = resolve(item.path);
    if (field.throughUser) throughUser = true;
    return `${field.sql} ${item.direction}`;
  });
  parts.push(`${tieBreaker} ASC`);
  return { orderBy: parts.join(", "), throughUser };
}
