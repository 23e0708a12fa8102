import type { FastifyInstance } from "fastify";
import type { Caller } from "../auth/caller.js";
import type { BearerVerifier } from "../auth/bearer-verifier.js";
import { BearerTokenError } from "../auth/bearer-verifier.js";
import { errorDocument, errorObject, JSONAPI_MEDIA_TYPE } from "../jsonapi/document.js";
import type { Compat } from "../oauth/compat.js";
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
 * In 5.x mode the 401 has no `WWW-Authenticate` and its detail is league's hint (drupal-wire
 * A.1 "Bad bearer on a resource", B.2: 5.x throws a plain HttpException with the hint).
 */
export function registerBearerAuth(
  app: FastifyInstance,
  verifier: BearerVerifier,
  compat: Compat = 6,
): void {
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
      if (compat === 6) {
        reply.header(
          "www-authenticate",
          `Bearer realm="OAuth", error="access_denied", error_description="${error.hint.replaceAll('"', "'")}"`,
        );
      }
      const detail =
        compat === 5
          ? error.hint
          : "The resource owner or authorization server denied the request.";
      return reply
        .code(401)
        .type(JSONAPI_MEDIA_TYPE)
        .send(errorDocument([errorObject(401, detail, { via: requestUrl(request) })]));
    }
  });
}
