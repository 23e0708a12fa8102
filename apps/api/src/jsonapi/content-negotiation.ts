import type { FastifyRequest } from "fastify";
import { JSONAPI_MEDIA_TYPE } from "./document.js";
import { badRequest, JsonApiError } from "./errors.js";

interface MediaType {
  type: string;
  params: Map<string, string>;
}

function parseMediaType(value: string): MediaType {
  const [type = "", ...rest] = value.split(";");
  const params = new Map<string, string>();
  for (const part of rest) {
    const [name = "", ...v] = part.split("=");
    if (name.trim() === "") continue;
    params.set(
      name.trim().toLowerCase(),
      v
        .join("=")
        .trim()
        .replace(/^"(.*)"$/, "$1"),
    );
  }
  return { type: type.trim().toLowerCase(), params };
}

/**
 * Requests with a body must be `application/vnd.api+json` (Drupal matches the route on the
 * content type: anything else → 415). A `charset=utf-8` parameter is tolerated, as Drupal
 * ignores it; any other media type parameter is refused, as the JSON:API spec requires.
 */
export function assertJsonApiContentType(request: FastifyRequest): void {
  const header = request.headers["content-type"];
  const media = header === undefined ? undefined : parseMediaType(header);
  const acceptable =
    media !== undefined &&
    media.type === JSONAPI_MEDIA_TYPE &&
    [...media.params].every(([name, value]) => name === "charset" && /^utf-8$/i.test(value));
  if (!acceptable) {
    throw JsonApiError.of(415, `No route found that matches "Content-Type: ${header ?? ""}"`);
  }
}

/**
 * JSON:API 1.0: 406 when `Accept` names the JSON:API media type and every instance of it
 * carries media type parameters (other than the quality value).
 */
export function assertAcceptable(request: FastifyRequest): void {
  const header = request.headers.accept;
  if (!header) return;
  const jsonapi = header
    .split(",")
    .map(parseMediaType)
    .filter((m) => m.type === JSONAPI_MEDIA_TYPE);
  if (jsonapi.length === 0) return;
  if (jsonapi.every((m) => [...m.params.keys()].some((name) => name !== "q"))) {
    throw JsonApiError.of(
      406,
      `Not acceptable: the JSON:API media type in "Accept: ${header}" only appears with unsupported media type parameters.`,
    );
  }
}

/** Parses the raw request body as JSON; malformed JSON is a 400, never a 500. */
export function parseJsonBody(body: unknown): unknown {
  const text = typeof body === "string" ? body : "";
  if (text.trim() === "") throw badRequest("Empty request body.");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest("Syntax error: the request body is not valid JSON.");
  }
}
