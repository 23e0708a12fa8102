/**
 * The upstream route answered straight from `proxy.ts` (issue 7, fast-proxy.md b4): the same
 * `handle()` with every check of the route handler, minus Next's App Router route pipeline
 * (about a quarter of the CPU of a proxied request). Only reads take this path: Next copies
 * the body of every request `proxy.ts` sees and silently cuts it at
 * `experimental.proxyClientMaxBodySize` (10 MiB), so requests with a body are left to the
 * route handler and the `proxy.ts` matcher should not even see them:
 *
 *   { source: "/api/upstream/:path*",
 *     missing: [{ type: "header", key: "content-length" }, { type: "header", key: "transfer-encoding" }] }
 *
 * (A body that still reached it would be refused: the route's limit, 1 MiB by default, is far
 * below the cut.)
 */
export function answersInProxy(request: Request, mountPath = "/api/upstream"): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  if (request.headers.has("content-length") || request.headers.has("transfer-encoding")) {
    return false;
  }
  const url = request.url;
  // The path starts after "scheme://host"; a mount path is matched at that position only.
  const pathStart = url.indexOf("/", url.indexOf("//") + 2);
  return pathStart > 0 && url.startsWith(`${mountPath.replace(/\/+$/, "")}/`, pathStart);
}
