import proxyAddr from "@fastify/proxy-addr";
import type { FastifyRequest } from "fastify";

/**
 * The browser's address for the sign-in limits, or null when a trusted proxy (the BFF) sent
 * none: its own address would then be everyone's, and counting failures against it would let
 * a stranger lock every sign-in out. Such attempts only take the account-wide slow-down; the
 * BFF counts them per browser itself (or runs with TRUSTED_PROXY_HOPS=0 and forwards nothing).
 */
export function signInAddress(
  request: FastifyRequest,
  trustedProxies: readonly string[] | undefined,
): string | null {
  if (request.headers["x-forwarded-for"] !== undefined || trustedProxies === undefined) {
    return request.ip;
  }
  const trusted = proxyAddr.compile([...trustedProxies]);
  return trusted(request.socket.remoteAddress ?? "", 0) ? null : request.ip;
}
