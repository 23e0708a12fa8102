import { createUpstreamRefreshHook, loadRefreshConfig } from "next-token-bff/refresh";
import { createUpstreamRoute } from "next-token-bff/upstream";
import { getBff } from "../../../../lib/bff";
import { getRefresher } from "../../../../lib/refresh";

/**
 * `/api/upstream/<upstream path>` → `{UPSTREAM_URL}/<upstream path>` with the session's access
 * token. Browser code must send `X-CSRF: 1`; paths, headers and content types are allow-listed
 * in the library (issue 4). Never cached: every answer depends on the session.
 */
const route = createUpstreamRoute({
  getBff,
  // Built on first use (the refresher reads the runtime environment).
  refresh: (request) => createUpstreamRefreshHook(getRefresher())(request),
  refreshSkewSeconds: loadRefreshConfig(process.env).skewSeconds,
});

export const { GET, HEAD, POST, PUT, PATCH, DELETE } = route;
export const dynamic = "force-dynamic";
export const runtime = "nodejs";
