import type { JsonApiError } from "../errors.js";
import { badRequest } from "../errors.js";

/** A query parameter value after bracket expansion (`filter[a][b]=1`, `x[]=1&x[]=2`). */
export type QueryValue = string | string[] | QueryTree;
export interface QueryTree {
  [key: string]: QueryValue | undefined;
}

export interface ParsedQuery {
  /** Bracket-expanded parameters by top-level name. Objects have no prototype. */
  tree: QueryTree;
  /** The raw parameters in request order (pager links keep them). */
  params: URLSearchParams;
}

/** The parameter names JSON:API reserves (Drupal `JsonApiSpec::getReservedQueryParameters`). */
export const reservedQueryParameters = ["filter", "sort", "page", "fields", "include"] as const;

const MAX_PARAMETERS = 200;
const MAX_DEPTH = 6;
const namePattern = /^([^[\]]+)((?:\[[^[\]]*\])*)$/;
// A JSON:API member name (1.0 "allowed characters"; non-ASCII is allowed too).
const memberNamePattern =
  /^[a-zA-Z0-9\u0080-\uFFFF](?:[a-zA-Z0-9\u0080-\uFFFF_ -]*[a-zA-Z0-9\u0080-\uFFFF])?$/;

export function isQueryTree(value: QueryValue | undefined): value is QueryTree {
  return typeof value === "object" && !Array.isArray(value);
}

function emptyTree(): QueryTree {
  return Object.create(null) as QueryTree;
}

function malformed(name: string): JsonApiError {
  return badRequest(`The query parameter '${name}' is malformed.`);
}

/**
 * Parses the raw query string of a request URL with URLSearchParams and expands PHP-style
 * brackets ourselves, so the shape is fully under our control. Names are checked like Drupal's
 * `JsonApiRequestValidator`: reserved names pass, `_format` is refused, and any other name must
 * be a valid member name containing at least one character outside a–z.
 */
export function parseQuery(url: string): ParsedQuery {
  const index = url.indexOf("?");
  const params = new URLSearchParams(index === -1 ? "" : url.slice(index + 1));
  const tree = emptyTree();
  const invalid: string[] = [];
  let count = 0;

  for (const [name, value] of params) {
    if (++count > MAX_PARAMETERS) throw badRequest("Too many query parameters.");
    const match = namePattern.exec(name);
    const base = match?.[1];
    if (!match || base === undefined) throw malformed(name);

    if (base === "_format") {
      throw badRequest(
        "JSON:API does not need that ugly '_format' query string! 🤘 Use the URL provided in 'links' 🙏",
      );
    }
    const reserved = (reservedQueryParameters as readonly string[]).includes(base);
    if (!reserved) {
      if (!memberNamePattern.test(base) || /^[a-z]+$/.test(base)) {
        if (!invalid.includes(base)) invalid.push(base);
      }
      continue; // custom parameters are allowed and ignored
    }

    const segments = [...(match[2] ?? "").matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? "");
    if (segments.length > MAX_DEPTH) throw malformed(name);
    assign(tree, base, segments, value, name);
  }

  if (invalid.length > 0) {
    throw badRequest(
      `The following query parameters violate the JSON:API spec: '${invalid.join("', '")}'.`,
    );
  }
  return { tree, params };
}

function assign(
  tree: QueryTree,
  base: string,
  segments: string[],
  value: string,
  name: string,
): void {
  let node = tree;
  let key = base;
  for (const [position, segment] of segments.entries()) {
    if (segment === "") {
      // `name[]=value` appends; nothing may follow the empty brackets.
      if (position !== segments.length - 1) throw malformed(name);
      const existing = node[key];
      if (existing === undefined) node[key] = [value];
      else if (Array.isArray(existing)) existing.push(value);
      else throw malformed(name);
      return;
    }
    let next = node[key];
    if (next === undefined) {
      next = emptyTree();
      node[key] = next;
    }
    if (!isQueryTree(next)) throw malformed(name);
    node = next;
    key = segment;
  }
  const existing = node[key];
  if (existing !== undefined && typeof existing !== "string") throw malformed(name);
  node[key] = value; // a repeated scalar parameter: the last one wins, as in PHP
}
