import { randomUUID } from "node:crypto";
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyServerOptions,
} from "fastify";
import { errorDocument, errorObject, JSONAPI_MEDIA_TYPE } from "./jsonapi/document.js";
import { jsonapiRoutes } from "./jsonapi/routes.js";
import { oauthRoutes } from "./oauth/routes.js";
import { createClientErrorHandler } from "./http/client-error.js";
import { requestUrl } from "./http/request-url.js";
import type { Services } from "./services.js";

export interface BuildAppOptions {
  services: Services;
  logger?: FastifyServerOptions["logger"];
}

/** Never log secrets: the query string can carry them, headers carry tokens and cookies. */
export const redactedLogPaths = [
  "req.headers.authorization",
  "req.headers.cookie",
  "res.headers['set-cookie']",
];

/** Builds the Fastify app without listening, so tests can `inject` or listen on port 0. */
export async function buildApp({
  services,
  logger = false,
}: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    trustProxy: services.config.trustedProxies ?? false,
    bodyLimit: 1024 * 1024,
    // Requests Node's parser refuses still get an answer in the endpoint's own error format.
    clientErrorHandler: createClientErrorHandler(services.config.compat),
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 600
        ? error.statusCode
        : 500;
    if (status >= 500) request.log.error({ err: error }, "request failed");
    const detail = status >= 500 ? "An internal error occurred." : error.message;
    if (request.url.startsWith("/oauth/")) {
      return reply
        .code(status)
        .type("application/json; charset=UTF-8")
        .send({
          error: status >= 500 ? "server_error" : "invalid_request",
          error_description: detail,
        });
    }
    return reply
      .code(status)
      .type(JSONAPI_MEDIA_TYPE)
      .send(errorDocument([errorObject(status, detail, { via: requestUrl(request) })]));
  });

  app.addHook("onSend", async (_request, reply, payload) => {
    // JSON:API 1.0: the media type is sent without parameters (Fastify appends a charset).
    const type = reply.getHeader("content-type");
    if (typeof type === "string" && type.startsWith(JSONAPI_MEDIA_TYPE)) {
      reply.header("content-type", JSONAPI_MEDIA_TYPE);
    }
    return payload;
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "";
    return reply
      .code(404)
      .type(JSONAPI_MEDIA_TYPE)
      .send(
        errorDocument([
          errorObject(404, `No route found for "${request.method} ${path}"`, {
            via: requestUrl(request),
          }),
        ]),
      );
  });

  await app.register(oauthRoutes, { services });
  await app.register(jsonapiRoutes, { services });
  return app;
}
