import type { FastifyInstance } from "fastify";
import { FORM_BODY_LIMIT, formParamsOf } from "../form-body.js";
import { checkAuthorization, grantCode, requireSignIn } from "./authorize-steps.js";
import type { PageContext } from "./page-context.js";
import { formExpired, sendPage } from "./page-responses.js";
import { errorPage } from "./pages.js";
import { redirectToClient } from "./redirect-to-client.js";
import { currentSession } from "./visitor.js";

/** `POST /oauth/authorize`: the consent form's decision, Allow (a code) or Deny. */
export function registerAuthorizePostRoute(app: FastifyInstance, context: PageContext): void {
  const { security } = context;
  app.post("/oauth/authorize", { bodyLimit: FORM_BODY_LIMIT }, async (request, reply) => {
    const checked = checkAuthorization(context, request, reply);
    if (checked === undefined) return reply;
    const { query, authorization, redirectOrigin } = checked;
    const { client } = authorization;

    const form = formParamsOf(request);
    const csrf = security.csrfFromRequest(request.headers.cookie);
    if (!security.csrfValid(csrf, form.get("csrf_token"), "consent")) {
      request.log.info({ clientId: client.clientId }, "consent refused: CSRF token");
      return formExpired(reply, query, redirectOrigin);
    }

    const current = currentSession(context, request);
    if (!current) return requireSignIn(context, reply, checked);

    const decision = form.get("decision");
    if (decision === "deny") {
      request.log.info({ clientId: client.clientId, uid: current.user.uid }, "consent denied");
      const params = {
        error: "access_denied",
        error_description: "The resource owner denied the request.",
      };
      return redirectToClient(context, reply, authorization, params, true);
    }
    if (decision !== "allow") {
      return sendPage(reply, 400, errorPage("Request not valid", "Choose Allow or Deny."));
    }

    return grantCode(context, request, reply, authorization, current);
  });
}
