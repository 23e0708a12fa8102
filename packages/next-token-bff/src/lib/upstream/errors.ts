import type { BffErrorCode } from "../errors/bff-error.js";

/**
 * The proxy's own answers. The body is always `{"error": code}`: browser code switches on the
 * code (`session_expired` → sign in again), never on a message.
 */
export type UpstreamRouteErrorCode = Extract<
  BffErrorCode,
  | "bad_path"
  | "path_not_allowed"
  | "bad_request"
  | "csrf"
  | "not_signed_in"
  | "session_expired"
  | "method_not_allowed"
  | "body_too_large"
  | "request_timeout"
  | "too_many_requests"
  | "unsupported_media_type"
  | "upstream_unreachable"
  | "refresh_unavailable"
  | "upstream_timeout"
  | "upstream_redirect"
  | "upstream_content_type"
>;

const statusOf: Record<UpstreamRouteErrorCode, number> = {
  bad_path: 400,
  path_not_allowed: 404,
  bad_request: 400,
  csrf: 403,
  not_signed_in: 401,
  session_expired: 401,
  method_not_allowed: 405,
  body_too_large: 413,
  request_timeout: 408,
  too_many_requests: 429,
  unsupported_media_type: 415,
  upstream_unreachable: 502,
  refresh_unavailable: 503,
  upstream_timeout: 504,
  upstream_redirect: 502,
  upstream_content_type: 502,
};

/** Headers on every answer of the proxy, its own errors included. */
export const protectiveHeaders: Readonly<Record<string, string>> = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'; sandbox",
};

export function errorResponse(
  code: UpstreamRouteErrorCode,
  extra: { headers?: Record<string, string>; setCookies?: readonly string[] } = {},
): Response {
  const headers = new Headers({
    ...protectiveHeaders,
    "content-type": "application/json",
    ...extra.headers,
  });
  for (const cookie of extra.setCookies ?? []) headers.append("set-cookie", cookie);
  return new Response(JSON.stringify({ error: code }), { status: statusOf[code], headers });
}
