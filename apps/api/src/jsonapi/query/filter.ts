import type { SqlParam } from "../../db/articles.js";
import { badRequest } from "../errors.js";
import type { FieldResolver, QueryField } from "./field-resolver.js";
import type { QueryTree, QueryValue } from "./parse-query.js";
import { isQueryTree } from "./parse-query.js";

/** Drupal `EntityCondition::$allowedOperators`. */
export const filterOperators = [
  "=",
  "<>",
  ">",
  ">=",
  "<",
  "<=",
  "STARTS_WITH",
  "CONTAINS",
  "ENDS_WITH",
  "IN",
  "NOT IN",
  "BETWEEN",
  "NOT BETWEEN",
  "IS NULL",
  "IS NOT NULL",
] as const;
export type FilterOperator = (typeof filterOperators)[number];

const ROOT = "@root";
const MAX_ITEMS = 50;
const MAX_VALUES = 100;

export interface FilterCondition {
  kind: "condition";
  path: string;
  operator: FilterOperator;
  value: string | string[] | undefined;
}

export interface FilterGroup {
  kind: "group";
  conjunction: "AND" | "OR";
  members: Array<FilterCondition | FilterGroup>;
}

export interface SqlFragment {
  sql: string;
  params: SqlParam[];
}

function isOperator(value: string): value is FilterOperator {
  return (filterOperators as readonly string[]).includes(value);
}

interface FlatItem {
  memberOf: string;
  node: FilterCondition | FilterGroup;
}

/**
 * Parses the `filter` parameter the way Drupal's `Filter::expand` does: extreme shorthand
 * (`filter[status]=1`), shorthand (`filter[title][value]=x&filter[title][operator]=CONTAINS`),
 * conditions (`filter[a][condition][path]=…`) and groups (`filter[g][group][conjunction]=OR`,
 * joined with `memberOf`). Returns the root AND group, or undefined without a filter.
 */
export function parseFilter(value: QueryValue | undefined): FilterGroup | undefined {
  if (value === undefined) return undefined;
  if (!isQueryTree(value)) throw badRequest("The filter parameter needs to be an array.");
  const entries = Object.entries(value);
  if (entries.length > MAX_ITEMS) throw badRequest("Too many filter conditions.");

  const items = new Map<string, FlatItem>();
  for (const [id, raw] of entries) {
    if (id === ROOT) throw badRequest("'@root' is a reserved filter id.");
    if (raw === undefined) continue;
    items.set(id, expandItem(id, raw));
  }

  // Build the tree from @root down; anything unreachable points at a missing group or a cycle.
  const root: FilterGroup = { kind: "group", conjunction: "AND", members: [] };
  const groups = new Map<string, FilterGroup>([[ROOT, root]]);
  for (const [id, item] of items) if (item.node.kind === "group") groups.set(id, item.node);
  const attached = new Set<string>();
  const attach = (groupId: string, depth: number) => {
    if (depth > 10) throw badRequest("The filter groups are nested too deeply.");
    const group = groups.get(groupId);
    if (!group) return;
    for (const [id, item] of items) {
      if (item.memberOf !== groupId || attached.has(id)) continue;
      attached.add(id);
      group.members.push(item.node);
      if (item.node.kind === "group") attach(id, depth + 1);
    }
  };
  attach(ROOT, 0);
  for (const [id, item] of items) {
    if (!attached.has(id)) {
      throw badRequest(`The filter '${id}' is a member of the unknown group '${item.memberOf}'.`);
    }
  }
  return root;
}

function scalar(value: QueryValue | undefined, what: string): string | undefined {
  if (value === undefined || typeof value === "string") return value;
  throw badRequest(`The filter ${what} needs to be a string.`);
}

function expandItem(id: string, raw: QueryValue): FlatItem {
  // Extreme shorthand: `filter[status]=1`.
  if (!isQueryTree(raw)) {
    if (Array.isArray(raw)) throw badRequest(`The filter '${id}' needs a value or a condition.`);
    return { memberOf: ROOT, node: condition({ value: raw }, id, id) };
  }
  const group = raw.group;
  const cond = raw.condition;
  if (group !== undefined && cond !== undefined) {
    throw badRequest(`The filter '${id}' cannot be both a group and a condition.`);
  }
  if (group !== undefined) {
    if (!isQueryTree(group)) throw badRequest(`The filter group '${id}' needs to be an array.`);
    const conjunction = scalar(group.conjunction, "conjunction") ?? "AND";
    if (conjunction !== "AND" && conjunction !== "OR") {
      throw badRequest("The filter conjunction must be either 'AND' or 'OR'.");
    }
    return {
      memberOf: scalar(group.memberOf, "memberOf") ?? ROOT,
      node: { kind: "group", conjunction, members: [] },
    };
  }
  // Shorthand `filter[title][value]=x` is a condition whose path is the filter id.
  const body = cond ?? raw;
  if (!isQueryTree(body)) throw badRequest(`The filter condition '${id}' needs to be an array.`);
  return {
    memberOf: scalar(body.memberOf, "memberOf") ?? ROOT,
    node: condition(body, id, cond === undefined ? id : undefined),
  };
}

function condition(body: QueryTree, id: string, defaultPath: string | undefined): FilterCondition {
  const path = scalar(body.path, "path") ?? defaultPath;
  if (path === undefined || path === "") {
    throw badRequest(`Filter parameter '${id}' is missing a 'path' key.`);
  }
  const operator = scalar(body.operator, "operator") ?? "=";
  if (!isOperator(operator)) {
    throw badRequest(`The '${operator}' operator is not allowed in a filter parameter.`);
  }
  const raw = body.value;
  if (isQueryTree(raw)) {
    // `value[0]=a&value[1]=b` is another way to write a list.
    const list = Object.values(raw);
    if (!list.every((v): v is string => typeof v === "string")) {
      throw badRequest(`The filter '${id}' has a malformed value.`);
    }
    return checkValue({ kind: "condition", path, operator, value: list }, id);
  }
  return checkValue({ kind: "condition", path, operator, value: raw }, id);
}

function checkValue(cond: FilterCondition, id: string): FilterCondition {
  const { operator } = cond;
  let { value } = cond;
  if (operator === "IS NULL" || operator === "IS NOT NULL") {
    if (value !== undefined) {
      throw badRequest(`The '${operator}' operator does not accept a value (filter '${id}').`);
    }
    return cond;
  }
  if (value === undefined) throw badRequest(`Filter parameter '${id}' is missing a 'value' key.`);
  if (operator === "IN" || operator === "NOT IN") {
    if (typeof value === "string") value = [value];
    if (value.length === 0)
      throw badRequest(`The '${operator}' operator needs at least one value.`);
  } else if (operator === "BETWEEN" || operator === "NOT BETWEEN") {
    if (typeof value === "string" || value.length !== 2) {
      throw badRequest(`The '${operator}' operator needs exactly two values.`);
    }
  } else if (typeof value !== "string") {
    throw badRequest(`The '${operator}' operator needs a single value (filter '${id}').`);
  }
  if (Array.isArray(value) && value.length > MAX_VALUES) {
    throw badRequest(`Too many values in filter '${id}'.`);
  }
  return { ...cond, value };
}

/** Converts a request value to the column's representation; a bad value is a 400. */
function convert(value: string, field: QueryField, path: string): SqlParam {
  const invalid = () => badRequest(`The value '${value}' is not valid for the field \`${path}\`.`);
  switch (field.type) {
    case "string":
    case "uuid":
      return value;
    case "integer": {
      if (!/^-?\d{1,15}$/.test(value.trim())) throw invalid();
      return Number(value);
    }
    case "boolean": {
      const v = value.trim().toLowerCase();
      if (v === "1" || v === "true") return 1;
      if (v === "0" || v === "false") return 0;
      throw invalid();
    }
    case "timestamp": {
      const v = value.trim();
      if (/^-?\d{1,15}$/.test(v)) return Number(v);
      if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v)) {
        const ms = Date.parse(v);
        if (!Number.isNaN(ms)) return Math.floor(ms / 1000);
      }
      throw invalid();
    }
  }
}

function likePattern(value: string, operator: FilterOperator): string {
  const escaped = value.replace(/[\\%_]/g, (c) => `\\${c}`);
  if (operator === "STARTS_WITH") return `${escaped}%`;
  if (operator === "ENDS_WITH") return `%${escaped}`;
  return `%${escaped}%`;
}

export interface CompiledFilter extends SqlFragment {
  /** Some path reaches the user table, so the user access guard must be added. */
  throughUser: boolean;
}

/** Compiles the tree to a WHERE fragment: field names via the allow-list, values as parameters. */
export function compileFilter(root: FilterGroup, resolve: FieldResolver): CompiledFilter {
  let throughUser = false;
  const compile = (node: FilterCondition | FilterGroup): SqlFragment => {
    if (node.kind === "group") {
      const parts = node.members.map(compile);
      if (parts.length === 0) return { sql: "1 = 1", params: [] };
      return {
        sql: `(${parts.map((p) => p.sql).join(` ${node.conjunction} `)})`,
        params: parts.flatMap((p) => p.params),
      };
    }
    const field = resolve(node.path);
    if (field.throughUser) throughUser = true;
    const { sql } = field;
    const values = node.value === undefined ? [] : [node.value].flat();
    switch (node.operator) {
      case "IS NULL":
      case "IS NOT NULL":
        return { sql: `${sql} ${node.operator}`, params: [] };
      case "STARTS_WITH":
      case "CONTAINS":
      case "ENDS_WITH": {
        if (field.type !== "string" && field.type !== "uuid") {
          throw badRequest(`The '${node.operator}' operator cannot be used on \`${node.path}\`.`);
        }
        return {
          sql: `${sql} LIKE ? ESCAPE '\\'`,
          params: [likePattern(values[0] ?? "", node.operator)],
        };
      }
      case "IN":
      case "NOT IN":
        return {
          sql: `${sql} ${node.operator} (${values.map(() => "?").join(", ")})`,
          params: values.map((v) => convert(v, field, node.path)),
        };
      case "BETWEEN":
      case "NOT BETWEEN":
        return {
          sql: `${sql} ${node.operator} ? AND ?`,
          params: values.map((v) => convert(v, field, node.path)),
        };
      default:
        return {
          sql: `${sql} ${node.operator} ?`,
          params: [convert(values[0] ?? "", field, node.path)],
        };
    }
  };
  const fragment = compile(root);
  return { ...fragment, throughUser };
}
