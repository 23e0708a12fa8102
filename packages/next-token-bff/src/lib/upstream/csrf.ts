/**
 * CSRF defence of the proxy (catalogue B3). Every request must carry `X-CSRF: 1`: a header a
 * cross-site form or a plain link cannot send, and one that makes a cross-origin `fetch`
 * preflight (which we never answer with CORS headers). Unsafe methods must also prove they come
 * from our own origin: a matching `Origin`, or, when a browser sends no `Origin`,
 * `Sec-Fetch-Site: same-origin`. A sibling subdomain is same-site but not same-origin: refused.
 */

const safeMethods = new Set(["GET", "HEAD"]);

export function isSafeMethod(method: string): boolean {
  return safeMethods.has(method);
}

export function passesCsrfCheck(request: Request, allowedOrigins: ReadonlySet<string>): boolean {
  if (request.headers.get("x-csrf") !== "1") return false;
  if (isSafeMethod(request.method)) return true;
  const origin = request.headers.get("origin");
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite !== null && fetchSite !== "same-origin") return false;
  if (origin !== null) return allowedOrigins.has(origin);
  return fetchSite === "same-origin";
}
