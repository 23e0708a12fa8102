import { NextRequest, NextResponse } from "next/server";

/**
 * Security headers of the web app (catalogue E1). The static ones are in
 * `static-security-headers.ts` (every path, via next.config.ts); the pages'
 * Content-Security-Policy carries a fresh nonce per request and is set in `proxy.ts`
 * (`withContentSecurityPolicy`). Next 16 reads the nonce from the request's
 * `Content-Security-Policy` header and puts it on its own scripts.
 * HSTS is sent only when the app's public URL (NEXTAUTH_URL) is https.
 */

export function pageContentSecurityPolicy(nonce: string, https: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    `style-src 'self' 'nonce-${nonce}'`,
    // React writes `style={…}` as attributes; attribute styles cannot run script.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

export const strictTransportSecurity = "max-age=63072000; includeSubDomains";

function publicUrlIsHttps(): boolean {
  return process.env.NEXTAUTH_URL?.startsWith("https://") === true;
}

function nonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Runs the `proxy.ts` chain with a per-request nonce: the page render receives the policy (and
 * `x-nonce`) as request headers, the browser receives the policy as a response header.
 */
export async function withContentSecurityPolicy(
  request: NextRequest,
  next: (request: NextRequest) => Promise<NextResponse>,
): Promise<NextResponse> {
  const https = publicUrlIsHttps();
  if (request.nextUrl.pathname.startsWith("/api/")) {
    const response = await next(request);
    if (https) response.headers.set("strict-transport-security", strictTransportSecurity);
    return response;
  }
  const value = nonce();
  const policy = pageContentSecurityPolicy(value, https);
  const headers = new Headers(request.headers);
  headers.set("x-nonce", value);
  headers.set("content-security-policy", policy);
  const inner = await next(new NextRequest(request.url, { method: request.method, headers }));

  let response = inner;
  // A pass-through without request-header overrides: add ours (the chain's overrides were built
  // from the request above, so they already carry the policy).
  if (
    inner.headers.get("x-middleware-next") === "1" &&
    !inner.headers.has("x-middleware-override-headers")
  ) {
    response = NextResponse.next({ request: { headers } });
    inner.headers.forEach((headerValue, name) => {
      if (!name.startsWith("x-middleware-") && name !== "set-cookie") {
        response.headers.set(name, headerValue);
      }
    });
    for (const cookie of inner.headers.getSetCookie()) {
      response.headers.append("set-cookie", cookie);
    }
  }
  response.headers.set("content-security-policy", policy);
  if (https) response.headers.set("strict-transport-security", strictTransportSecurity);
  return response;
}
