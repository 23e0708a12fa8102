import { badRequest } from "../errors.js";
import type { QueryValue } from "./parse-query.js";
import { isQueryTree } from "./parse-query.js";

/** Drupal `OffsetPage::SIZE_MAX`: the default and the cap of `page[limit]`. */
export const PAGE_SIZE_MAX = 50;

export interface Page {
  offset: number;
  limit: number;
}

/** `page[offset]` (default 0) and `page[limit]` (default and cap 50; ≤ 0 → 400). */
export function parsePage(value: QueryValue | undefined): Page {
  if (value === undefined) return { offset: 0, limit: PAGE_SIZE_MAX };
  if (!isQueryTree(value)) throw badRequest("The page parameter needs to be an array.");

  let offset = 0;
  const rawOffset = value.offset;
  if (rawOffset !== undefined) {
    if (typeof rawOffset !== "string" || !/^\s*\d+\s*$/.test(rawOffset)) {
      throw badRequest("The page offset needs to be a non-negative integer.");
    }
    offset = Number(rawOffset);
    if (!Number.isSafeInteger(offset)) {
      throw badRequest("The page offset needs to be a non-negative integer.");
    }
  }

  let limit = PAGE_SIZE_MAX;
  const rawLimit = value.limit;
  if (rawLimit !== undefined) {
    if (typeof rawLimit !== "string" || !/^\s*[-+]?\d+\s*$/.test(rawLimit)) {
      throw badRequest("The page size needs to be a positive integer.");
    }
    const parsed = Number(rawLimit);
    if (parsed <= 0) throw badRequest("The page size needs to be a positive integer.");
    limit = Math.min(parsed, PAGE_SIZE_MAX); // larger values are silently capped
  }
  return { offset, limit };
}
