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
  }
}

function describeWait(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) return "later";
  if (seconds < 60) return `in ${Math.ceil(seconds)} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? "in 1 minute" : `in ${minutes} minutes`;
}
