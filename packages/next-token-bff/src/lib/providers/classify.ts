import type { UpstreamVerdict } from "./types.js";

/** RFC 6750 §3.1: 401 means the token is no longer accepted; 403 means missing permission. */
export function classifyByStatus({ status }: { status: number }): UpstreamVerdict {
  if (status === 401) return "token_invalid";
  if (status === 403) return "forbidden";
  return "accepted";
}
