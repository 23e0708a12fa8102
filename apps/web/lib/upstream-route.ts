import { createUpstreamRefreshHook } from "next-token-bff/refresh";
import { type UpstreamRoute, answersInProxy, createUpstreamRoute } from "next-token-bff/upstream";
import { getBff } from "./bff";
import { getRefresher } from "./refresh";

let route: UpstreamRoute | undefined;

/**
 * `/api/upstream/<upstream path>` → `{UPSTREAM_URL}/<upstream path>` with the session's access
 * token. Browser code must send `X-CSRF: 1`; paths, headers and content types are allow-listed
 * in the library (issue 4). Never cached: every answer depends on the session. One definition
 * for both places that serve it: the route handler (app/api/upstream/[...path]/route.ts) and,
 * for reads, proxy.ts. Built on first use (the refresher reads the runtime environment).
 */
export function upstreamRoute(): UpstreamRoute {
  if (route === undefined) {
    // The route decides "due" with the refresher's own skew (REFRESH_SKEW_SECONDS).
    const refresher = getRefresher();
    route = createUpstreamRoute({
      getBff,
      refresh: createUpstreamRefreshHook(refresher),
      refreshSkewSeconds: refresher.skewMs / 1000,
    });
  }
  return route;
}

/**
 * Reads of `/api/upstream/…` are answered in proxy.ts with the same handler (issue 7: Next's
 * route pipeline is skipped, ~a quarter of a request's CPU); everything with a body goes on to
 * the route handler. `UPSTREAM_IN_PROXY=0` serves everything from the route handler.
 */
export function upstreamReadInProxy(request: Request): boolean {
  return process.env.UPSTREAM_IN_PROXY !== "0" && answersInProxy(request);
}
