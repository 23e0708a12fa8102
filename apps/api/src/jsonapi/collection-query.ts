import type { SqlParam } from "../db/articles.js";
import type { FieldResolver } from "./query/field-resolver.js";
import type { SqlFragment } from "./query/filter.js";
import { compileFilter, parseFilter } from "./query/filter.js";
import type { QueryTree } from "./query/parse-query.js";
import { compileSort, parseSort } from "./query/sort.js";

export interface CollectionSql {
  where: string;
  params: SqlParam[];
  orderBy: string;
  filtered: boolean;
}

export interface CollectionGuards {
  /** Added whenever a filter is present (Drupal's TemporaryQueryGuard on the base type). */
  whenFiltered?: SqlFragment;
  /** Added when a filter path reaches the user table. */
  whenThroughUser?: SqlFragment;
}

/** WHERE and ORDER BY for `filter` and `sort`, from allow-listed SQL and bound values only. */
export function collectionSql(
  tree: QueryTree,
  resolve: FieldResolver,
  guards: CollectionGuards,
  tieBreaker: string,
): CollectionSql {
  const filter = parseFilter(tree.filter);
  const sort = parseSort(tree.sort);
  const parts: SqlFragment[] = [];
  if (filter) {
    const compiled = compileFilter(filter, resolve);
    parts.push(compiled);
    if (guards.whenFiltered) parts.push(guards.whenFiltered);
    if (compiled.throughUser && guards.whenThroughUser) parts.push(guards.whenThroughUser);
  }
  const { orderBy } = compileSort(sort, resolve, tieBreaker);
  return {
    where: parts.length > 0 ? parts.map((p) => p.sql).join(" AND ") : "1 = 1",
    params: parts.flatMap((p) => p.params),
    orderBy,
    filtered: filter !== undefined,
  };
}
