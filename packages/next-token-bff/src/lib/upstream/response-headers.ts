import type { IncomingHttpHeaders } from "node:http";
import { protectiveHeaders } from "./errors.js";
import { BffError } from "../errors/bff-error.js";

/**
 * Response headers that may travel from the upstream to the browser (catalogue B2, B4, B5).
 * `Set-Cookie`, `Server`, `Location` (an upstream URL), `WWW-Authenticate`, CORS and internal
 * headers stay here; `Cache-Control`, `X-Content-Type-Options` and a sandboxing CSP are ours.
 */
export const defaultResponseHeaders: readonly string[] = [
  "content-type",
  "content-length",
  "content-encoding",
  "content-language",
  "etag",
  "last-modified",
  "retry-after",
  "allow",
];

const neverPassed =
  /^(set-cookie|set-cookie2|server|x-powered-by|location|www-authenticate|access-control-.*|connection|keep-alive|transfer-encoding|trailer|upgrade|proxy-.*|cache-control|x-content-type-options|content-security-policy)$/;

/**
 * Media types (no parameters) the browser may receive on our origin: anything else is refused
 * with 502 rather than served as if it were ours.
 */
export const defaultResponseContentTypes: readonly string[] = [
  "application/json",
  "application/vnd.api+json",
  "application/problem+json",
];

export function responseHeaderAllowList(extra: readonly string[] = []): ReadonlySet<string> {
  const names = [...defaultResponseHeaders, ...extra.map((name) => name.toLowerCase())];
  for (const name of names) {
    if (neverPassed.test(name)) {
      throw new BffError(
        "misconfigured",
        `The response header "${name}" is never passed to the browser`,
      );
    }
  }
  return new Set(names);
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The media type of an upstream answer, lower case and without parameters. */
export function mediaTypeOf(headers: IncomingHttpHeaders): string | undefined {
  const value = firstValue(headers["content-type"]);
  if (value === undefined) return undefined;
  return value.split(";", 1)[0]?.trim().toLowerCase();
}

export function browserResponseHeaders(
  upstream: IncomingHttpHeaders,
  allowList: ReadonlySet<string>,
  setCookies: readonly string[],
): Headers {
  const headers = new Headers();
  for (const name of allowList) {
    const value = firstValue(upstream[name]);
    if (value !== undefined) headers.set(name, value);
  }
  for (const [name, value] of Object.entries(protectiveHeaders)) headers.set(name, value);
  for (const cookie of setCookies) headers.append("set-cookie", cookie);
  return headers;
}
