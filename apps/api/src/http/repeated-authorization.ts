import type { FastifyRequest } from "fastify";

/** What a request with more than one Authorization header is told (no quotes: it goes into a challenge). */
export const REPEATED_AUTHORIZATION_HINT =
  "Send one Authorization header; this request has more than one";

/**
 * Whether the request carried the Authorization header more than once. Node's parser keeps only
 * the first line in `request.headers`, so the raw header list is counted. RFC 6750 §2 allows one
 * method per request; two credentials are refused (400 `invalid_request`), never served with one
 * of them.
 */
export function hasRepeatedAuthorization(request: FastifyRequest): boolean {
  const raw = request.raw.rawHeaders;
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === "authorization" && ++count > 1) return true;
  }
  return false;
}
