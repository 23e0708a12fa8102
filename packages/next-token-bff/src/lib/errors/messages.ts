import type { BffErrorCode } from "./bff-error.js";

/** What a person reads for each code. Never includes upstream text (it can reflect input). */
export function describeError(code: BffErrorCode, retryAfterSeconds?: number): string {
  switch (code) {
    case "invalid_credentials":
      return "The username or password is not correct.";
    case "too_many_attempts":
      return `Too many sign-in attempts. Please try again ${describeWait(retryAfterSeconds)}.`;
    case "upstream_unavailable":
      return "The sign-in service is not available right now. Please try again in a moment.";
    case "misconfigured":
      return "Sign-in is not set up correctly on this server. Please tell the site's administrator.";
    case "session_expired":
      return "Your session has ended. Please sign in again.";
    case "account_disabled":
      return "This account may not sign in (it is blocked or disabled). Please ask the site's administrator.";
    case "not_signed_in":
      return "Please sign in to continue.";
    case "csrf":
      return "The request did not come from this site and was refused. Please reload the page.";
    case "bad_path":
    case "path_not_allowed":
    case "method_not_allowed":
      return "That cannot be reached or done through this site.";
    case "bad_request":
      return "The request was not understood. Please reload the page and try again.";
    case "body_too_large":
      return "What you sent is too large.";
    case "request_timeout":
      return "What you sent took too long to arrive. Please try again.";
    case "too_many_requests":
      return "Too many requests at once. Please wait a moment and try again.";
    case "unsupported_media_type":
      return "What you sent is not in a format this site accepts.";
    case "upstream_unreachable":
    case "upstream_redirect":
    case "upstream_content_type":
      return "The content service cannot be reached right now. Please try again in a moment.";
    case "upstream_timeout":
      return "The content service took too long to answer. Please try again.";
    case "refresh_unavailable":
      return "The sign-in service cannot be reached right now. You are still signed in; please try again in a moment.";
    case "redis_unavailable":
      return "The service is busy right now. Please try again in a moment.";
  }
}

function describeWait(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) return "later";
  if (seconds < 60) return `in ${Math.ceil(seconds)} seconds`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes <= 90) return minutes === 1 ? "in 1 minute" : `in ${minutes} minutes`;
  // The per-account windows are hours long (Drupal's 6 h): "in 360 minutes" reads badly.
  return `in ${Math.ceil(seconds / 3600)} hours`;
}
