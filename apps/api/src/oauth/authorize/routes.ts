import { randomBytes, randomUUID } from "node:crypto";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { sha256 } from "../../auth/hash.js";
import { nowSeconds } from "../../db/database.js";
import type { UserWithHash } from "../../db/users.js";
import type { Services } from "../../services.js";
import type { FormParams } from "../form-body.js";
import { FORM_BODY_LIMIT, formParamsOf } from "../form-body.js";
import type { LoginLimiter } from "../login-limiter.js";
import { registerMethodNotAllowed } from "../method-not-allowed.js";
import { OAuthError } from "../oauth-error.js";
import { withResponseParams } from "../redirect-uri.js";
import { signIn } from "../sign-in.js";
import type { AuthorizationRequest, RedirectTarget } from "./authorization-request.js";
import {
  checkAuthorizationRequest,
  destinationFor,
  destinationQuery,
  withoutLoginPrompt,
} from "./authorization-request.js";
import type { PageSession } from "./page-security.js";
import { createPageSecurity } from "./page-security.js";
import { consentPage, errorPage, SIGN_IN_FAILED, signInPage, stylesheet } from "./pages.js";

/** Authorization codes live 60 seconds (RFC 6749 §4.1.2 recommends at most 10 minutes). */
export const CODE_TTL = 60;
/** Used codes are kept this long after they expire, so a late replay still revokes. */
const USED_CODE_RETENTION = 86_400;

/**
 * The page CSP. `form-action` also names the client's redirect origin: browsers apply it to
 * the redirects that follow a form submission, and the sign-in and consent forms end in a
 * redirect to the client.
 */
export function pageCsp(redirectOrigin?: string): string {
  const formAction = redirectOrigin === undefined ? "'self'" : `'self' ${redirectOrigin}`;
  return `default-src 'none'; style-src 'self'; form-action ${formAction}; frame-ancestors 'none'`;
}

function rawQuery(request: FastifyRequest): string {
  const index = request.url.indexOf("?");
  return index === -1 ? "" : request.url.slice(index + 1);
}

function noStore(reply: FastifyReply): FastifyReply {
  return reply
    .header("cache-control", "no-store")
    .header("pragma", "no-cache")
    .header("referrer-policy", "no-referrer");
}

function sendPage(
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

function seeOther(reply: FastifyReply, location: string, cookies: string[] = []): FastifyReply {
  noStore(reply).code(303).header("location", location);
  if (cookies.length > 0) reply.header("set-cookie", cookies);
  return reply.send();
}

/**
 * Relative references: they resolve under /oauth/ even behind a proxy that adds a path prefix.
 * The query is re-encoded first (same parameters, same values), so characters a browser may
 * send raw, like `\` or `|`, cannot make the destination fail its strict check.
 */
const signInLocation = (query: string) =>
  `./login?destination=${encodeURIComponent(destinationFor(new URLSearchParams(query).toString()))}`;
const authorizeLocation = (query: string) => `./authorize${query === "" ? "" : `?${query}`}`;

/**
 * `GET|POST /oauth/authorize` with its sign-in page (`GET|POST /oauth/login`) and consent page
 * (RFC 6749 §4.1, PKCE S256 only, OpenID Connect basics). Registered inside the OAuth plugin so
 * it shares the password grant's login limiter.
 */
export async function authorizeRoutes(
  app: FastifyInstance,
  options: { services: Services; limiter: LoginLimiter },
): Promise<void> {
  const { services, limiter } = options;
  const { config } = services;
  const security = createPageSecurity(services.pageSecret, config.issuer.startsWith("https:"));

  // Errors on these routes are pages for people, not OAuth JSON.
  app.setErrorHandler((error: FastifyError, request, reply) => {
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
  });

  /** The CSRF cookie value of the request, or a new one (with the Set-Cookie to send). */
  function csrfFor(request: FastifyRequest): { value: string; cookies: string[] } {
    const existing = security.csrfFromRequest(request.headers.cookie);
    if (existing !== undefined) return { value: existing, cookies: [] };
    const value = security.newCsrfValue();
    return { value, cookies: [security.csrfCookie(value)] };
  }

  /** The signed-in user, while the session is valid and the account unchanged and active. */
  function currentSession(
    request: FastifyRequest,
  ): { session: PageSession; user: UserWithHash } | undefined {
    const session = security.sessionFromRequest(request.headers.cookie);
    if (!session) return undefined;
    const user = services.users.findByUid(session.uid);
    if (!user || !user.status || user.changed !== session.changed) return undefined;
    return { session, user };
  }

  /** Back to the client (303), with `state` and `iss` (RFC 9207) added to `params`. */
  function toClient(
    reply: FastifyReply,
    target: RedirectTarget,
    params: Record<string, string>,
    endSession: boolean,
  ): FastifyReply {
    const location = withResponseParams(target.redirectUri, {
      ...params,
      state: target.state,
      iss: config.issuer,
    });
    return seeOther(reply, location, endSession ? [security.clearSessionCookie()] : []);
  }

  function issueCode(authorization: AuthorizationRequest, session: PageSession): string {
    const code = randomBytes(32).toString("base64url");
    const now = nowSeconds();
    services.codes.insert({
      codeHash: sha256(code),
      clientId: authorization.client.clientId,
      uid: session.uid,
      redirectUri: authorization.redirectUri,
      scopes: authorization.scopes.map((scope) => scope.name),
      codeChallenge: authorization.codeChallenge,
      nonce: authorization.nonce,
      authTime: session.authTime,
      family: randomUUID(),
      expires: now + CODE_TTL,
    });
    services.codes.purgeExpired(now - USED_CODE_RETENTION);
    return code;
  }

  function formExpired(reply: FastifyReply, query: string, redirectOrigin?: string) {
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

  async function authorize(request: FastifyRequest, reply: FastifyReply, posted: boolean) {
    const query = rawQuery(request);
    const check = checkAuthorizationRequest(query, services);
    if (check.kind === "page") {
      request.log.info({ reason: check.message }, "authorization request refused (no redirect)");
      return sendPage(reply, 400, errorPage("Sign-in request not valid", check.message));
    }
    if (check.kind === "redirect") {
      request.log.info({ outcome: check.error }, "authorization request refused");
      const params = { error: check.error, error_description: check.description };
      return toClient(reply, check.target, params, false);
    }
    const authorization = check.request;
    const { client, prompt } = authorization;
    const target: RedirectTarget = authorization;
    const redirectOrigin = new URL(authorization.redirectUri).origin;

    let form: FormParams | undefined;
    if (posted) {
      form = formParamsOf(request);
      const csrf = security.csrfFromRequest(request.headers.cookie);
      if (!security.csrfValid(csrf, form.get("csrf_token"), "consent")) {
        request.log.info({ clientId: client.clientId }, "consent refused: CSRF token");
        return formExpired(reply, query, redirectOrigin);
      }
    }

    const current = currentSession(request);
    if (!current || (!posted && prompt.has("login"))) {
      if (prompt.has("none")) {
        const params = { error: "login_required", error_description: "The user is not signed in." };
        return toClient(reply, target, params, true);
      }
      return seeOther(
        reply,
        signInLocation(prompt.has("login") ? withoutLoginPrompt(query) : query),
      );
    }
    const { session, user } = current;

    if (!posted && (!client.automaticAuthorization || prompt.has("consent"))) {
      if (prompt.has("none")) {
        const params = { error: "consent_required", error_description: "The user must consent." };
        return toClient(reply, target, params, true);
      }
      const csrf = csrfFor(request);
      if (csrf.cookies.length > 0) reply.header("set-cookie", csrf.cookies);
      const html = consentPage({
        clientLabel: client.label,
        userName: user.name,
        scopes: authorization.scopes,
        action: authorizeLocation(query),
        csrfToken: security.csrfToken(csrf.value, "consent"),
        returnHost: new URL(authorization.redirectUri).host,
      });
      return sendPage(reply, 200, html, redirectOrigin);
    }

    if (form !== undefined) {
      const decision = form.get("decision");
      if (decision === "deny") {
        request.log.info({ clientId: client.clientId, uid: user.uid }, "consent denied");
        const params = {
          error: "access_denied",
          error_description: "The resource owner denied the request.",
        };
        return toClient(reply, target, params, true);
      }
      if (decision !== "allow") {
        return sendPage(reply, 400, errorPage("Request not valid", "Choose Allow or Deny."));
      }
    }

    const code = issueCode(authorization, session);
    request.log.info({ clientId: client.clientId, uid: user.uid }, "authorization code issued");
    return toClient(reply, target, { code }, true);
  }

  // No automatic HEAD route: a HEAD request must not issue a code.
  app.get("/oauth/authorize", { exposeHeadRoute: false }, (request, reply) =>
    authorize(request, reply, false),
  );
  app.post("/oauth/authorize", { bodyLimit: FORM_BODY_LIMIT }, (request, reply) =>
    authorize(request, reply, true),
  );
  registerMethodNotAllowed(app, "/oauth/authorize", ["GET", "POST"]);

  /** The authorization query a sign-in request carries, or the reason it cannot be used. */
  function signInTarget(
    destination: string | undefined,
  ):
    | { kind: "ok"; query: string; authorization: AuthorizationRequest }
    | { kind: "page"; message: string }
    | { kind: "authorize"; query: string } {
    const query = destinationQuery(destination);
    if (query === undefined) {
      return {
        kind: "page",
        message: "This sign-in page can only be opened from an application's sign-in link.",
      };
    }
    const check = checkAuthorizationRequest(query, services);
    if (check.kind === "page") return { kind: "page", message: check.message };
    // The authorization endpoint sends that error back to the client.
    if (check.kind === "redirect") return { kind: "authorize", query };
    return { kind: "ok", query, authorization: check.request };
  }

  app.get("/oauth/login", async (request, reply) => {
    const destinations = new URLSearchParams(rawQuery(request)).getAll("destination");
    const target = signInTarget(destinations.length === 1 ? destinations[0] : undefined);
    if (target.kind === "page") {
      return sendPage(reply, 400, errorPage("Sign-in link not valid", target.message));
    }
    if (target.kind === "authorize") return seeOther(reply, authorizeLocation(target.query));
    const csrf = csrfFor(request);
    if (csrf.cookies.length > 0) reply.header("set-cookie", csrf.cookies);
    const html = signInPage({
      clientLabel: target.authorization.client.label,
      destination: destinationFor(target.query),
      csrfToken: security.csrfToken(csrf.value, "sign-in"),
    });
    return sendPage(reply, 200, html, new URL(target.authorization.redirectUri).origin);
  });

  app.post("/oauth/login", { bodyLimit: FORM_BODY_LIMIT }, async (request, reply) => {
    const form = formParamsOf(request);
    const csrf = security.csrfFromRequest(request.headers.cookie);
    const target = signInTarget(form.get("destination"));
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
  registerMethodNotAllowed(app, "/oauth/login", ["GET", "POST"]);

  app.get("/oauth/assets/authorize.css", async (_request, reply) =>
    reply
      .header("content-type", "text/css; charset=utf-8")
      .header("cache-control", "public, max-age=3600")
      .header("x-content-type-options", "nosniff")
      .send(stylesheet),
  );
}
