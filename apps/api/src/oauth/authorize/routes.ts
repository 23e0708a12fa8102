import type { FastifyInstance } from "fastify";
import type { Services } from "../../services.js";
import type { LoginLimiter } from "../login-limiter.js";
import { registerMethodNotAllowed } from "../method-not-allowed.js";
import { registerAuthorizeGetRoute } from "./authorize-get-route.js";
import { registerAuthorizePostRoute } from "./authorize-post-route.js";
import { sendErrorPage } from "./error-page-handler.js";
import { registerLoginGetRoute } from "./login-get-route.js";
import { registerLoginPostRoute } from "./login-post-route.js";
import type { PageContext } from "./page-context.js";
import { createPageSecurity } from "./page-security.js";
import { registerStylesheetRoute } from "./stylesheet-route.js";

/**
 * `GET|POST /oauth/authorize` with its sign-in page (`GET|POST /oauth/login`) and consent page
 * (RFC 6749 §4.1, PKCE S256 only, OpenID Connect basics). Registered inside the OAuth plugin so
 * it shares the password grant's login limiter.
 */
// eslint-disable-next-line @typescript-eslint/require-await -- Fastify async plugin: a throw while registering rejects app.register() instead of escaping avvio
export async function authorizeRoutes(
  app: FastifyInstance,
  options: { services: Services; limiter: LoginLimiter },
): Promise<void> {
  const { services, limiter } = options;
  const security = createPageSecurity(
    services.pageSecret,
    services.config.issuer.startsWith("https:"),
  );
  const context: PageContext = { services, limiter, security };

  app.setErrorHandler(sendErrorPage);

  registerAuthorizeGetRoute(app, context);
  registerAuthorizePostRoute(app, context);
  registerMethodNotAllowed(app, "/oauth/authorize", ["GET", "POST"]);

  registerLoginGetRoute(app, context);
  registerLoginPostRoute(app, context);
  registerMethodNotAllowed(app, "/oauth/login", ["GET", "POST"]);

  registerStylesheetRoute(app);
}
