import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { OAuthError } from "../oauth-error.js";
import { sendPage } from "./page-responses.js";
import { errorPage } from "./pages.js";

/** Errors on the authorization routes are pages for people, not OAuth JSON. */
export function sendErrorPage(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status =
    error instanceof OAuthError
      ? error.statusCode
      : error.statusCode && error.statusCode >= 400 && error.statusCode < 600
        ? error.statusCode
        : 500;
  if (status >= 500) request.log.error({ err: error }, "authorization page failed");
  if (error instanceof OAuthError) {
    for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  }
  const message =
    status >= 500
      ? "An internal error occurred."
      : status === 405
        ? "This page does not accept that request method."
        : "The request could not be processed.";
  return sendPage(reply, status, errorPage("Request not valid", message));
}
