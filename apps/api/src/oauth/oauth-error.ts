import type { FastifyReply, FastifyRequest } from "fastify";
import type { Compat } from "./compat.js";

/**
 * The JSON body of an OAuth error as league/oauth2-server 9 writes it: no `message` member.
 * League 8 (simple_oauth 5.x) adds `message`, a copy of `error_description` (drupal-wire A.1,
 * A.7).
 */
export interface OAuthErrorBody {
  error: string;
  error_description: string;
  hint?: string;
  message?: string;
}

export const OAUTH_JSON = "application/json; charset=UTF-8";

const INVALID_REQUEST_DESCRIPTION =
  "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.";

/**
 * An OAuth error response (RFC 6749 §5.2) with simple_oauth 6.0.9's (league 9's) wording.
 * Thrown anywhere below the OAuth routes and rendered by their error handler.
 */
export class OAuthError extends Error {
  override name = "OAuthError";
  constructor(
    readonly statusCode: number,
    readonly error: string,
    readonly description: string,
    readonly hint?: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(hint ? `${error}: ${hint}` : error);
  }

  /** The body in league 9's shape, or league 8's (`message` last) for simple_oauth 5.x. */
  body(compat: Compat = 6): OAuthErrorBody {
    return {
      error: this.error,
      error_description: this.description,
      ...(this.hint !== undefined ? { hint: this.hint } : {}),
      ...(compat === 5 ? { message: this.description } : {}),
    };
  }
}

export const oauthErrors = {
  /** league `invalidRequest`: hint defaults to "Check the `<parameter>` parameter". */
  invalidRequest(parameter: string, hint?: string, statusCode = 400): OAuthError {
    return new OAuthError(
      statusCode,
      "invalid_request",
      INVALID_REQUEST_DESCRIPTION,
      hint ?? `Check the \`${parameter}\` parameter`,
    );
  },
  /** league `invalidClient`; `WWW-Authenticate` only when the request carried an Authorization header. */
  invalidClient(request: FastifyRequest): OAuthError {
    const authorization = request.headers.authorization;
    const headers: Record<string, string> = {};
    if (authorization !== undefined) {
      const scheme = authorization.startsWith("Bearer") ? "Bearer" : "Basic";
      headers["www-authenticate"] = `${scheme} realm="OAuth"`;
    }
    return new OAuthError(
      401,
      "invalid_client",
      "Client authentication failed",
      undefined,
      headers,
    );
  },
  /** Also used, as in simple_oauth 6.x, for a grant that is not enabled on the client. */
  unsupportedGrantType(): OAuthError {
    return new OAuthError(
      400,
      "unsupported_grant_type",
      "The authorization grant type is not supported by the authorization server.",
      "Check that all required parameters have been provided",
    );
  },
  invalidScope(scope: string): OAuthError {
    return new OAuthError(
      400,
      "invalid_scope",
      "The requested scope is invalid, unknown, or malformed",
      scope === ""
        ? "Specify a scope in the request or set a default scope"
        : `Check the \`${scope}\` scope`,
    );
  },
  /** Wrong password, unknown user and blocked user all look exactly like this (no hint). */
  invalidCredentials(): OAuthError {
    return new OAuthError(400, "invalid_grant", "The user credentials were incorrect.");
  },
  /**
   * A garbage, foreign, expired or revoked refresh token: league 9 answers 400 `invalid_grant`,
   * league 8 (simple_oauth 5.x) 401 `invalid_request` with the same texts (drupal-wire A.7).
   */
  invalidRefreshToken(hint: string, compat: Compat = 6): OAuthError {
    return compat === 5
      ? new OAuthError(401, "invalid_request", "The refresh token is invalid.", hint)
      : new OAuthError(400, "invalid_grant", "The refresh token is invalid.", hint);
  },
  /** league `invalidGrant`: a bad, expired, replayed or foreign authorization code. */
  invalidGrant(hint: string): OAuthError {
    return new OAuthError(
      400,
      "invalid_grant",
      "The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
      hint,
    );
  },
  unauthorizedClient(hint: string): OAuthError {
    return new OAuthError(
      400,
      "unauthorized_client",
      "The authenticated client is not authorized to use this authorization grant type.",
      hint,
    );
  },
  tooManyAttempts(retryAfterSeconds: number): OAuthError {
    return new OAuthError(
      429,
      "too_many_attempts",
      `Too many failed sign-in attempts. Try again in ${retryAfterSeconds} seconds.`,
      undefined,
      { "retry-after": String(retryAfterSeconds) },
    );
  },
  methodNotAllowed(allowed: string): OAuthError {
    return new OAuthError(
      405,
      "invalid_request",
      `This endpoint only accepts ${allowed} requests.`,
      undefined,
      { allow: allowed },
    );
  },
  serverError(): OAuthError {
    return new OAuthError(
      500,
      "server_error",
      "The authorization server encountered an unexpected condition which prevented it from fulfilling the request.",
    );
  },
};

/** Token-endpoint responses must never be cached (RFC 6749 §5.1). */
export function noStore(reply: FastifyReply): FastifyReply {
  return reply.header("cache-control", "no-store").header("pragma", "no-cache");
}

export function sendOAuthError(
  reply: FastifyReply,
  error: OAuthError,
  compat: Compat = 6,
): FastifyReply {
  noStore(reply).code(error.statusCode).type(OAUTH_JSON);
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  return reply.send(error.body(compat));
}
