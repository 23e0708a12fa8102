/**
 * Which upstream requests `proxy.ts` answers itself with the upstream route's own `handle()`
 * (every check of the route handler, minus Next's App Router route pipeline: about a quarter
 * of the CPU of a proxied request, fast-proxy.md b4). Whether a request reaches `proxy.ts` at
 * all is the app's matcher; this decides what is answered once it has.
 *
 * Next hands `proxy.ts` a copy of the request body, streamed as it arrives, and silently cuts
 * that copy at `experimental.proxyClientMaxBodySize` (10 MiB by default). So a request with a
 * body is taken only when it declares its length (`Content-Length`, no `Transfer-Encoding`)
 * and that length is within the route's limit: the body reader refuses a body shorter than
 * declared, so a cut body is never forwarded. Chunked bodies and bodies over the limit go on
 * to the route handler. (Next also holds a `proxy.ts` answer until the body has arrived in
 * full, which is why the web app's matcher keeps bodies out: see the package README.)
 */
export function answersInProxy(
  request: Request,
  mountPath = "/api/upstream",
  maxBodyBytes = 1024 * 1024,
): boolean {
  if (request.headers.has("transfer-encoding")) return false;
  const declared = request.headers.get("content-length");
  if (declared !== null && !(/^\d{1,15}$/.test(declared) && Number(declared) <= maxBodyBytes)) {
    return false;
  }
  const url = request.url;
  // The path starts after "scheme://host"; a mount path is matched at that position only.
  const pathStart = url.indexOf("/", url.indexOf("//") + 2);
  return pathStart > 0 && url.startsWith(`${mountPath.replace(/\/+$/, "")}/`, pathStart);
}
