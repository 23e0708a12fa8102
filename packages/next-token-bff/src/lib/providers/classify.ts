import type { UpstreamAnswerPeek, UpstreamVerdict } from "./types.js";

/**
 * The `error` of a `WWW-Authenticate: Bearer …` challenge (RFC 6750 §3), lower-cased, or
 * undefined when the answer carries none.
 */
export function bearerChallengeError(
  headers: UpstreamAnswerPeek["headers"] | undefined,
): string | undefined {
  const value = headers?.["www-authenticate"];
  const challenges = Array.isArray(value) ? value.join(", ") : (value ?? "");
  if (!/\bbearer\b/i.test(challenges)) return undefined;
  return /(?:^|[\s,])error\s*=\s*"?([A-Za-z0-9_.-]+)"?/i.exec(challenges)?.[1]?.toLowerCase();
}

/**
 * The default reading of an upstream answer, RFC 6750 §3.1: a Bearer challenge with
 * `error="invalid_token"` means the token is no longer accepted, whatever the status (some APIs
 * answer 403 or 400 so); otherwise 401 means the same and 403 is a missing permission. The body
 * is not looked at; a provider for an API that says more there wraps this function.
 */
export function classifyAnswer(
  answer: Pick<UpstreamAnswerPeek, "status"> & Partial<Pick<UpstreamAnswerPeek, "headers">>,
): UpstreamVerdict {
  if (answer.status === 401 || bearerChallengeError(answer.headers) === "invalid_token") {
    return "token_invalid";
  }
  if (answer.status === 403) return "forbidden";
  return "accepted";
}
