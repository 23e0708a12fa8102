import type { FastifyInstance } from "fastify";
import { checkAuthorization, grantCode, requireSignIn } from "./authorize-steps.js";
import { authorizeLocation } from "./locations.js";
import type { PageContext } from "./page-context.js";
import { sendPage } from "./page-responses.js";
import { consentPage } from "./pages.js";
import { redirectToClient } from "./redirect-to-client.js";
import { csrfFor, currentSession } from "./visitor.js";

/**
 * `GET /oauth/authorize`: sends a visitor without a session (or with prompt=login) to the
 * sign-in page, shows the consent page, or, for a first-party client, issues the code at once.
 */
export function registerAuthorizeGetRoute(app: FastifyInstance, context: PageContext): void {
  const { security } = context;
  // No automatic HEAD route: a HEAD request must not issue a code.
  app.get("/oauth/authorize", { exposeHeadRoute: false }, async (request, reply) => {
    const checked = checkAuthorization(context, request, reply);
    if (checked === undefined) return reply;
    const { query, authorization, redirectOrigin } = checked;
    const { client, prompt } = authorization;

    const current = currentSession(context, request);
    if (!current || prompt.has("login")) return requireSignIn(context, reply, checked);

    if (!client.automaticAuthorization || prompt.has("consent")) {
      if (prompt.has("none")) {
        const params = { error: "consent_required", error_description: "The user must consent." };
        return redirectToClient(context, reply, authorization, params, true);
      }
      const csrf = csrfFor(security, request);
      if (csrf.cookies.length > 0) reply.header("set-cookie", csrf.cookies);
      const html = consentPage({
        clientLabel: client.label,
        userName: current.user.name,
        scopes: authorization.scopes,
        action: authorizeLocation(query),
        csrfToken: security.csrfToken(csrf.value, "consent"),
        returnHost: new URL(authorization.redirectUri).host,
      });
      return sendPage(reply, 200, html, redirectOrigin);
    }

    return grantCode(context, request, reply, authorization, current);
  });
}
