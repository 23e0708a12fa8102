import type { FastifyInstance } from "fastify";
import { nowSeconds } from "../../db/database.js";
import { FORM_BODY_LIMIT, formParamsOf } from "../form-body.js";
import { signIn } from "../sign-in.js";
import { destinationFor } from "./authorization-request.js";
import { authorizeLocation } from "./locations.js";
import type { PageContext } from "./page-context.js";
import { formExpired, sendPage, seeOther } from "./page-responses.js";
import { errorPage, SIGN_IN_FAILED, signInPage } from "./pages.js";
import { signInTarget } from "./sign-in-target.js";

/**
 * `POST /oauth/login`: checks the sign-in form (limited like the password grant), starts the
 * page session and goes back to the authorization endpoint.
 */
export function registerLoginPostRoute(app: FastifyInstance, context: PageContext): void {
  const { services, limiter, security } = context;
  app.post("/oauth/login", { bodyLimit: FORM_BODY_LIMIT }, async (request, reply) => {
    const form = formParamsOf(request);
    const csrf = security.csrfFromRequest(request.headers.cookie);
    const target = signInTarget(services, form.get("destination"));
    if (!security.csrfValid(csrf, form.get("csrf_token"), "sign-in") || csrf === undefined) {
      request.log.info("sign-in form refused: CSRF token");
      return formExpired(reply, target.kind === "page" ? "" : target.query);
    }
    if (target.kind === "page") {
      return sendPage(reply, 400, errorPage("Sign-in link not valid", target.message));
    }
    if (target.kind === "authorize") return seeOther(reply, authorizeLocation(target.query));

    const { authorization, query } = target;
    const redirectOrigin = new URL(authorization.redirectUri).origin;
    const username = form.get("username");
    const password = form.get("password");
    const again = (status: number, error: string) =>
      sendPage(
        reply,
        status,
        signInPage({
          clientLabel: authorization.client.label,
          destination: destinationFor(query),
          csrfToken: security.csrfToken(csrf, "sign-in"),
          username,
          error,
        }),
        redirectOrigin,
      );
    if (username === undefined || password === undefined) return again(400, SIGN_IN_FAILED);

    const result = await signIn({
      request,
      services,
      limiter,
      username,
      password,
      clientId: authorization.client.clientId,
      via: "sign_in_page",
    });
    if (result.outcome === "throttled") {
      reply.header("retry-after", String(result.retryAfter));
      return again(
        429,
        `Too many failed sign-in attempts. Try again in ${result.retryAfter} seconds.`,
      );
    }
    if (result.outcome === "failed") return again(400, SIGN_IN_FAILED);

    const { user } = result;
    // A new CSRF value after signing in, so a value planted before cannot be reused.
    return seeOther(reply, authorizeLocation(query), [
      security.sessionCookie({ uid: user.uid, authTime: nowSeconds(), changed: user.changed }),
      security.csrfCookie(security.newCsrfValue()),
    ]);
  });
}
