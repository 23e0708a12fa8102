import { type NextRequest, NextResponse } from "next/server";
import { createAuthProxy } from "../proxy/auth-proxy.js";
import { createSessionRefreshProxy } from "../refresh/refresh-proxy.js";
import type { SessionRefresher } from "../refresh/session-refresh.js";
import type { UpstreamRoute } from "../upstream/upstream-route.js";
import type { BffCore } from "./bff.js";

/** Wraps what `proxy` does for a page request (`next`), e.g. to add headers to its answer. */
export type PageProxy = (
  request: NextRequest,
  next: (request: NextRequest) => Promise<NextResponse>,
) => Promise<NextResponse>;

/**
 * The `proxy.ts` function: upstream requests answered at once (the route's own checks), then for
 * pages the token refresh, and after it the sign-in redirect of protected paths and the
 * activity record, handed the session the refresh read (the cookie is decrypted once).
 */
export function createProxyFunction(deps: {
  getCore: () => BffCore;
  getRefresher: () => SessionRefresher;
  getUpstream: () => UpstreamRoute;
  protectedPaths: string[];
  loginPath: string;
  upstreamPath: string;
  authSessionPath: string;
  upstreamInProxy: boolean;
  aroundPages: PageProxy | undefined;
}) {
  let pages: ((request: NextRequest) => Promise<NextResponse>) | undefined;

  return async function proxy(request: NextRequest): Promise<NextResponse | Response> {
    if (request.nextUrl.pathname.startsWith(`${deps.upstreamPath}/`)) {
      const upstream = deps.upstreamInProxy ? deps.getUpstream() : undefined;
      return upstream?.answersInProxy(request) === true
        ? upstream.handle(request)
        : NextResponse.next();
    }
    pages ??= createSessionRefreshProxy({
      getBff: deps.getCore,
      refresher: deps.getRefresher(),
      // next-auth writes its cookie back there: refreshed, never redirected.
      refreshOnlyPaths: [deps.authSessionPath],
      loginPath: deps.loginPath,
      next: createAuthProxy({
        getBff: deps.getCore,
        protectedPaths: deps.protectedPaths,
        loginPath: deps.loginPath,
      }).withSession,
    });
    const chain = pages;
    return deps.aroundPages ? deps.aroundPages(request, chain) : chain(request);
  };
}
