import { BffError } from "../errors/bff-error.js";
import { headerValue, type UpstreamResponse } from "./http-client.js";
import { parseRetryAfter } from "./retry-after.js";

/** The OAuth `error` member, if the body has one (an extra `message` is ignored, drupal-wire D.2). */
export function oauthErrorCode(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  return typeof error === "string" ? error : undefined;
}

/**
 * Turns a failed password grant into a stable error:
 * 429 → `too_many_attempts` (with `Retry-After`); `invalid_grant` (and simple_oauth < 5.2's
 * `invalid_credentials`) → `invalid_credentials`; client, scope and grant problems →
 * `misconfigured`; 5xx and anything unreadable → `upstream_unavailable`.
 */
export function signInFailure(response: UpstreamResponse): BffError {
  const { status } = response;
  const error = oauthErrorCode(response.body);
  if (status === 429) {
    return new BffError("too_many_attempts", "The upstream refused: too many attempts", {
      retryAfterSeconds: parseRetryAfter(headerValue(response, "retry-after")),
    });
  }
  if (status >= 500 || error === undefined) {
    return new BffError("upstream_unavailable", `The token endpoint answered ${status}`);
  }
  if (error === "invalid_grant" || error === "invalid_credentials") {
    return new BffError("invalid_credentials", "The upstream refused the credentials");
  }
  return new BffError(
    "misconfigured",
    `The token endpoint answered ${status} ${error}: check the client id, secret, scope and grant`,
  );
}

/**
 * A user endpoint that refuses the token the sign-in has just been given (simple_oauth 5.x for a
 * blocked account, an OpenID Connect server for a disabled one): the account is refused, which
 * is neither a wrong password nor an outage.
 */
export function accountRefused(provider: string, status: number): BffError {
  return new BffError(
    "account_disabled",
    `${provider}: the user endpoint answered ${String(status)} to the token just issued (blocked or disabled account)`,
  );
}

/** What a refused refresh says in the log: the OAuth `error` code, else the status. */
export function refusalReason(response: UpstreamResponse): string {
  return oauthErrorCode(response.body) ?? `HTTP ${String(response.status)}`;
}

/**
 * A refused refresh (400 or 401 with an OAuth error; simple_oauth 5.x says 401
 * `invalid_request`) means the session is over; everything else is temporary.
 */
export function refreshFailure(response: UpstreamResponse): BffError {
  const error = oauthErrorCode(response.body);
  if ((response.status === 400 || response.status === 401) && error !== undefined) {
    return new BffError("session_expired", `The upstream refused the refresh token (${error})`);
  }
  return new BffError("upstream_unavailable", `The token endpoint answered ${response.status}`);
}
