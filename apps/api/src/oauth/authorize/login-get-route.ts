import type { FastifyInstance } from "fastify";
import { destinationFor } from "./authorization-request.js";
import { authorizeLocation, rawQuery } from "./locations.js";
import type { PageContext } from "./page-context.js";
import { sendPage, seeOther } from "./page-responses.js";
import { errorPage, signInPage } from "./pages.js";
import { signInTarget } from "./sign-in-target.js";
import { csrfFor } from "./visitor.js";

/** `GET /oauth/login?destination=…`: the sign-in page for one authorization request. */
export function registerLoginGetRoute(app: FastifyInstance, context: PageContext): void {
  const { services, security } = context;
  app.get("/oauth/login", async (request, reply) => {
    const destinations = new URLSearchParams(rawQuery(request)).getAll("destination");
    const target = signInTarget(services, destinations.length === 1 ? destinations[0] : undefined);
    if (target.kind === "page") {
      return sendPage(reply, 400, errorPage("Sign-in link not valid", target.message));
    }
    if (target.kind === "authorize") return seeOther(reply, authorizeLocation(target.query));
    const csrf = csrfFor(security, request);
    if (csrf.cookies.length > 0) reply.header("set-cookie", csrf.cookies);
    const html = signInPage({
      clientLabel: target.authorization.client.label,
      destination: destinationFor(target.query),
      csrfToken: security.csrfToken(csrf.value, "sign-in"),
    });
    return sendPage(reply, 200, html, new URL(target.authorization.redirectUri).origin);
  });
}
