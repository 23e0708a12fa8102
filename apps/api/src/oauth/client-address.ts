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
  return trustOf(trustedProxies)(request.socket.remoteAddress ?? "", 0) ? null : request.ip;
}

/** The configuration's list compiled once, as Fastify compiles it for `trustProxy`. */
const compiled = new WeakMap<readonly string[], ReturnType<typeof proxyAddr.compile>>();
function trustOf(list: readonly string[]) {
  let trust = compiled.get(list);
  if (trust === undefined) {
    trust = proxyAddr.compile([...list]);
    compiled.set(list, trust);
  }
  return trust;
}
