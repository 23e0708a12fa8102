import type { FastifyReply } from "fastify";
import { authorizeLocation } from "./locations.js";
import { errorPage } from "./pages.js";

/**
 * The page CSP. `form-action` also names the client's redirect origin: browsers apply it to
 * the redirects that follow a form submission, and the sign-in and consent forms end in a
 * redirect to the client.
 */
export function pageCsp(redirectOrigin?: string): string {
  const formAction = redirectOrigin === undefined ? "'self'" : `'self' ${redirectOrigin}`;
  return `default-src 'none'; style-src 'self'; form-action ${formAction}; frame-ancestors 'none'`;
}

function noStore(reply: FastifyReply): FastifyReply {
  return reply
    .header("cache-control", "no-store")
    .header("pragma", "no-cache")
    .header("referrer-policy", "no-referrer");
}

/** An HTML page: never cached, never framed, scripts and outside resources blocked. */
export function sendPage(
  reply: FastifyReply,
  status: number,
  html: string,
  redirectOrigin?: string,
): FastifyReply {
  return noStore(reply)
    .code(status)
    .header("content-type", "text/html; charset=utf-8")
    .header("content-security-policy", pageCsp(redirectOrigin))
    .header("x-frame-options", "DENY")
    .header("x-content-type-options", "nosniff")
    .send(html);
}

/** A 303 redirect (the browser follows with GET), optionally setting cookies. */
export function seeOther(
  reply: FastifyReply,
  location: string,
  cookies: string[] = [],
): FastifyReply {
  noStore(reply).code(303).header("location", location);
  if (cookies.length > 0) reply.header("set-cookie", cookies);
  return reply.send();
}

/** 403 for a form whose CSRF token is missing, expired or foreign, with a link to start again. */
export function formExpired(reply: FastifyReply, query: string, redirectOrigin?: string) {
  return sendPage(
    reply,
    403,
    errorPage(
      "Form expired",
      "This form has expired or was not sent from this site. Please try again.",
      authorizeLocation(query),
    ),
    redirectOrigin,
  );
}
