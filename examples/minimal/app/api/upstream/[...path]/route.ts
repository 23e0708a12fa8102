import { createUpstreamRefreshHook } from "next-token-bff/refresh";
import { createUpstreamRoute } from "next-token-bff/upstream";
import { getBff, getRefresher } from "../../../../lib/bff";

// Browser code: fetch("/api/upstream/jsonapi/node/article", { headers: { "X-CSRF": "1" } }).
export const { GET, HEAD, POST, PUT, PATCH, DELETE } = createUpstreamRoute({
  getBff,
  refresh: (request) => createUpstreamRefreshHook(getRefresher())(request),
});
export const dynamic = "force-dynamic";
