import type { FastifyRequest } from "fastify";
import { destinationFor } from "./authorization-request.js";

/** The request's query string exactly as sent (the authorization request is checked raw). */
export function rawQuery(request: FastifyRequest): string {
  const index = request.url.indexOf("?");
  return index === -1 ? "" : request.url.slice(index + 1);
}

/**
 * Relative references: they resolve under /oauth/ even behind a proxy that adds a path prefix.
 * The query is re-encoded first (same parameters, same values), so characters a browser may
 * send raw, like `\` or `|`, cannot make the destination fail its strict check.
 */
export const signInLocation = (query: string) =>
  `./login?destination=${encodeURIComponent(destinationFor(new URLSearchParams(query).toString()))}`;
export const authorizeLocation = (query: string) => `./authorize${query === "" ? "" : `?${query}`}`;
