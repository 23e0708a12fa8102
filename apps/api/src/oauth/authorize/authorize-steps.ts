import type { FastifyReply, FastifyRequest } from "fastify";
import type { UserWithHash } from "../../db/users.js";
import { issueCode } from "./authorization-codes.js";
import type { AuthorizationRequest } from "./authorization-request.js";
import { checkAuthorizationRequest, withoutLoginPrompt } from "./authorization-request.js";
import { rawQuery, signInLocation } from "./locations.js";
import type { PageContext } from "./page-context.js";
import { sendPage, seeOther } from "./page-responses.js";
import type { PageSession } from "./page-security.js";
import { errorPage } from "./pages.js";
import { redirectToClient } from "./redirect-to-client.js";

/** A valid authorization request with the raw query it came in. */
export interface CheckedAuthorization {
  query: string;
  authorization: AuthorizationRequest;
  /** Where the client lives: the page CSP's `form-action` allows it. */
  redirectOrigin: string;
}

/**
 * The first step of GET and POST /oauth/authorize: checks the request's query. An invalid one
 * is answered here (an error page, or an error sent back to the client) and gives `undefined`.
 */
export function checkAuthorization(
  context: PageContext,
  request: FastifyRequest,
  reply: FastifyReply,
): CheckedAuthorization | undefined {
  const query = rawQuery(request);
  const check = checkAuthorizationRequest(query, context.services);
  if (check.kind === "page") {
    request.log.info({ reason: check.message }, "authorization request refused (no redirect)");
    sendPage(reply, 400, errorPage("Sign-in request not valid", check.message));
    return undefined;
  }
  if (check.kind === "redirect") {
    request.log.info({ outcome: check.error }, "authorization request refused");
    const params = { error: check.error, error_description: check.description };
    redirectToClient(context, reply, check.target, params, false);
    return undefined;
  }
  const authorization = check.request;
  return { query, authorization, redirectOrigin: new URL(authorization.redirectUri).origin };
}

/** No usable session: to the sign-in page, or `login_required` to the client for prompt=none. */
export function requireSignIn(
  context: PageContext,
  reply: FastifyReply,
  { authorization, query }: CheckedAuthorization,
): FastifyReply {
  const { prompt } = authorization;
  if (prompt.has("none")) {
    const params = { error: "login_required", error_description: "The user is not signed in." };
    return redirectToClient(context, reply, authorization, params, true);
  }
  return seeOther(reply, signInLocation(prompt.has("login") ? withoutLoginPrompt(query) : query));
}

/** The last step: a new authorization code back to the client; the page session ends. */
export function grantCode(
  context: PageContext,
  request: FastifyRequest,
  reply: FastifyReply,
  authorization: AuthorizationRequest,
  { session, user }: { session: PageSession; user: UserWithHash },
): FastifyReply {
  const code = issueCode(context.services, authorization, session);
  request.log.info(
    { clientId: authorization.client.clientId, uid: user.uid },
    "authorization code issued",
  );
  return redirectToClient(context, reply, authorization, { code }, true);
}
