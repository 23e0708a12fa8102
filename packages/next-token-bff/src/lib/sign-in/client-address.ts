import { isIP } from "node:net";

/**
 * The address of the browser behind a request, for the sign-in limiter and for the upstream's
 * own per-address limits.
 *
 * `next start` never shows a route the socket's address: it sets `X-Forwarded-For` to it only
 * when the request carries none, and keeps whatever a client sent otherwise. So the header is
 * read from the right, where each trusted reverse proxy appends the address it saw:
 * - `trustedProxyHops` 0 (the app faces browsers): the last entry. A browser that sends its own
 *   header chooses this key, so the per-account limit is what holds then; put a proxy in front.
 * - `trustedProxyHops` n: the n-th entry from the right (what the outermost of our n proxies
 *   saw); entries further left were written by the client and are ignored.
 *
 * Returns `"unknown"` when the entry is missing or not an IP address (all such requests share
 * one key, so made-up values buy nothing).
 */
export function clientAddress(
  forwardedFor: string | null | undefined,
  trustedProxyHops: number,
): string {
  const entries = (forwardedFor ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  const index = entries.length - Math.max(1, trustedProxyHops);
  const address = entries[Math.max(0, index)];
  return address !== undefined && isIP(address) !== 0 ? normalise(address) : "unknown";
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are one client. */
function normalise(address: string): string {
  return address.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, "$1");
}
