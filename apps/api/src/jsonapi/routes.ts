import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import { registerBearerAuth } from "../http/bearer-auth.js";
import { requestUrl } from "../http/request-url.js";
import type { Services } from "../services.js";
import { registerArticleRoutes } from "./article-routes.js";
import { assertAcceptable } from "./content-negotiation.js";
import { JSONAPI_MEDIA_TYPE } from "./document.js";
import { registerEntryPoint } from "./entry-point-route.js";
import { JsonApiError } from "./errors.js";
import { registerUserRoutes } from "./user-routes.js";

/**
 * Core JSON:API: the entry point, node--article and user--user.
 *
 * Order of checks, as in Drupal: bearer token (401) → method (405) → Content-Type on writes
 * (415) → query parameter names (400) → entity UUID (404) → access (403) → body (400/409) →
 * field access (403) → validation (422). Every error is a JSON:API document; nothing a client
 * sends may produce a 5xx.
 */
// eslint-disable-next-line @typescript-eslint/require-await -- Fastify async plugin: a throw while registering rejects app.register() instead of escaping avvio
export async function jsonapiRoutes(
  app: FastifyInstance,
  { services }: { services: Services },
): Promise<void> {
  registerBearerAuth(app, services.verifier, services.config.compat);

  // Bodies are kept as text: handlers check the Content-Type first (415), then parse (400).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => {
    done(null, body);
  });

  app.addHook("preHandler", (request, _reply, done) => {
    assertAcceptable(request);
    done();
  });
  app.addHook("onSend", async (_request, reply, payload) => {
    reply.header("x-content-type-options", "nosniff");
    if (!reply.hasHeader("cache-control")) {
      reply.header("cache-control", "must-revalidate, no-cache, private");
    }
    return payload;
  });

  app.setErrorHandler((error: FastifyError | JsonApiError, request, reply) => {
    const jsonApiError = error instanceof JsonApiError ? error : fromFastifyError(error, request);
    if (jsonApiError.status >= 500) request.log.error({ err: error }, "request failed");
    return reply
      .code(jsonApiError.status)
      .headers(jsonApiError.headers)
      .type(JSONAPI_MEDIA_TYPE)
      .send(jsonApiError.toDocument(requestUrl(request)));
  });

  registerEntryPoint(app);
  registerArticleRoutes(app, services);
  registerUserRoutes(app, services);
}

/** Framework errors (body too large, bad framing) become 4xx documents; anything else a bare 500. */
function fromFastifyError(error: FastifyError, request: FastifyRequest): JsonApiError {
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
      const type = request.headers["content-type"] ?? "";
      return JsonApiError.of(415, `No route found that matches "Content-Type: ${type}"`);
    }
    if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
      return JsonApiError.of(413, "The request body is too large.");
    }
    return JsonApiError.of(status, "The request could not be processed.");
  }
  return JsonApiError.of(500, "An internal error occurred.");
}
