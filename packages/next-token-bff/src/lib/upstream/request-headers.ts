import { BffError } from "../errors/bff-error.js";
import { bearerHeader } from "../providers/bearer.js";

/**
 * Request headers that may travel from the browser to the upstream (catalogue B2). Everything
 * else stays here: the browser's `Cookie` (the session JWE), `Authorization`, `Host`,
 * `X-Forwarded-*`, `Forwarded`, hop-by-hop and method-override headers. The upstream's
 * `Authorization: Bearer` is ours, added after the copy.
 */

export const defaultRequestHeaders: readonly string[] = [
  "accept",
  "accept-language",
  "content-type",
  "content-language",
  "if-match",
  "if-none-match",
  "if-modified-since",
  "if-unmodified-since",
];

/** Headers no configuration may forward: credentials, routing and framing are ours to set. */
const neverForwarded =
  /^(authorization|cookie|host|forwarded|x-forwarded-.*|x-real-ip|proxy-.*|connection|keep-alive|transfer-encoding|te|trailer|upgrade|content-length|expect|x-http-method-override|x-method-override|x-csrf)$/;

export function requestHeaderAllowList(extra: readonly string[] = []): ReadonlySet<string> {
  const names = [...defaultRequestHeaders, ...extra.map((name) => name.toLowerCase())];
  for (const name of names) {
    if (neverForwarded.test(name)) {
      throw new BffError(
        "misconfigured",
        `The request header "${name}" is never forwarded to the upstream`,
      );
    }
  }
  return new Set(names);
}

/** The headers for the upstream request: allow-listed copies plus our bearer token. */
export function upstreamRequestHeaders(
  incoming: Headers,
  allowList: ReadonlySet<string>,
  accessToken: string,
  contentLength: number | null,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of allowList) {
    const value = incoming.get(name);
    if (value !== null) headers[name] = value;
  }
  if (contentLength !== null) headers["content-length"] = String(contentLength);
  headers.authorization = bearerHeader(accessToken);
  return headers;
}
