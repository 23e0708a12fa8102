import type { FastifyInstance } from "fastify";
import type { Caller } from "../auth/caller.js";
import type { BearerVerifier } from "../auth/bearer-verifier.js";
import { BearerTokenError } from "../auth/bearer-verifier.js";
import { errorDocument, errorObject, JSONAPI_MEDIA_TYPE } from "../jsonapi/document.js";
import { requestUrl } from "./request-url.js";
import { hasRepeatedAuthorization, REPEATED_AUTHORIZATION_HINT } from "./repeated-authorization.js";

declare module "fastify" {
  interface FastifyRequest {
    caller: Caller;
  }
}

/**
 * Resolves `request.caller` from the bearer token for every route of the plugin context it is
 * registered in. A bad token is refused with simple_oauth 6.x's 401 challenge; no token is anonymous.
 */
export function registerBearerAuth(app: FastifyInstance, verifier: BearerVerifier): void {
  // Fastify 5 forbids shared object values on decorators; every request sets its own caller below.
  app.decorateRequest<Caller | null>("caller", null);
  app.addHook("onRequest", async (request, reply) => {
    if (hasRepeatedAuthorization(request)) {
      request.log.info("more than one Authorization header refused");
      return reply
        .code(400)
        .header(
          "www-authenticate",
          `Bearer realm="OAuth", error="invalid_request", error_description="${REPEATED_AUTHORIZATION_HINT}"`,
        )
        .type(JSONAPI_MEDIA_TYPE)
        .send(
          errorDocument([
            errorObject(400, REPEATED_AUTHORIZATION_HINT, { via: requestUrl(request) }),
          ]),
        );
    }
    try {
      request.caller = await verifier.verify(request.headers.authorization);
    } catch (error) {
      if (!(error instanceof BearerTokenError)) throw error;
      request.log.info({ reason: error.hint }, "bearer token refused");
      return reply
        .code(401)
        .header(
          "www-authenticate",
          `Bearer realm="OAuth", error="access_denied", error_description="${error.hint.replaceAll('"', "'")}"`,
        )
        .type(JSONAPI_MEDIA_TYPE)
        .send(
          errorDocument([
            errorObject(401, "The resource owner or authorization server denied the request.", {
              via: requestUrl(request),
            }),
          ]),
        );
    }
  });
}
