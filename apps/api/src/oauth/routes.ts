import type { FastifyError, FastifyInstance } from "fastify";
import {
  hasRepeatedAuthorization,
  REPEATED_AUTHORIZATION_HINT,
} from "../http/repeated-authorization.js";
import type { Services } from "../services.js";
import { authorizeRoutes } from "./authorize/routes.js";
import { registerDiscoveryRoute } from "./discovery-route.js";
import { registerFormBodyParser } from "./form-body.js";
import { registerJwksRoute } from "./jwks-route.js";
import { createLoginLimiter } from "./login-limiter.js";
import { registerMethodNotAllowed } from "./method-not-allowed.js";
import { OAuthError, oauthErrors, sendOAuthError } from "./oauth-error.js";
import { registerRevokeRoute } from "./revoke-route.js";
import { registerTokenRoute } from "./token-route.js";
import { userinfoRoutes } from "./userinfo-route.js";

/**
 * simple_oauth's endpoints: /oauth/token, /oauth/revoke, /oauth/userinfo, /oauth/jwks, the
 * authorization endpoint with its pages, and the OpenID Connect discovery document.
 */
export async function oauthRoutes(
  app: FastifyInstance,
  options: { services: Services },
): Promise<void> {
  const { services } = options;
  const { compat } = services.config;

  // Every failure below answers in OAuth error JSON; never a stack trace, never a 500 for bad input.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof OAuthError) return sendOAuthError(reply, error, compat);
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const hint =
        status === 413
          ? "The request body is too large"
          : status === 415
            ? "The request body must be application/x-www-form-urlencoded"
            : error.message;
      return sendOAuthError(reply, oauthErrors.invalidRequest("", hint, status), compat);
    }
    request.log.error({ err: error }, "OAuth request failed");
    return sendOAuthError(reply, oauthErrors.serverError(), compat);
  });

  // Two Authorization headers (Node keeps the first) are two credentials: refused before any
  // route reads one. Runs before the child plugins' hooks (userinfo's bearer check, the pages).
  app.addHook("onRequest", (request, _reply, done) => {
    if (hasRepeatedAuthorization(request)) {
      request.log.info("more than one Authorization header refused");
      throw oauthErrors.invalidRequest("Authorization", REPEATED_AUTHORIZATION_HINT);
    }
    done();
  });

  registerFormBodyParser(app);
  const limiter = createLoginLimiter(services.config.loginLimits);
  registerTokenRoute(app, services, limiter);
  // simple_oauth has no revocation endpoint; 6.x sites add contrib simple_oauth_revoke. In 5.x
  // mode the path is unknown (404), as on a site without it (drupal-wire A.6, A.8).
  if (compat === 6) registerRevokeRoute(app, services);
  registerJwksRoute(app, services);
  await app.register(userinfoRoutes, { services });
  registerMethodNotAllowed(app, "/oauth/userinfo", ["GET", "POST"]);
  registerDiscoveryRoute(app, services);
  // Its own plugin (HTML error pages), sharing the password grant's limiter.
  await app.register(authorizeRoutes, { services, limiter });
}
