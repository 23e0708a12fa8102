import type { FastifyRequest } from "fastify";

/** The absolute URL of the request as the client addressed it (used in JSON:API links). */
export function requestUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}${request.url}`;
}

/** The absolute base URL (scheme and host) of the request, without a trailing slash. */
export function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
