import { type NextRequest, NextResponse } from "next/server";
import type { SessionContext } from "../session/session-context.js";
import type { SessionReadResult } from "../session/session-reader.js";
import { signInRedirect } from "../redirect/sign-in-redirect.js";
import { isPrefetch, recordActivity } from "../session/record-activity.js";

/** Options of {@link createAuthProxy}. */
export interface AuthProxyOptions {
  /** Returns the app's BFF (built on first use). Required. */
  getBff: () => SessionContext;
  /** Path prefixes that need a session, e.g. `["/account"]`. Required. */
  protectedPaths: string[];
  /** Where signed-out visitors are sent, with `?callbackUrl=`. Default: `/login`. */
  loginPath?: string;
}

function isProtected(pathname: string, prefixes: string[]): boolean {
  return prefixes.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/**
 * What {@link createAuthProxy} returns: a `proxy.ts` function that reads the session itself,
 * and `withSession` for a session an earlier step has already read and checked.
 */
export interface AuthProxy {
  /** Reads and checks the request's session cookie, then redirects or records activity. */
  (request: NextRequest): Promise<NextResponse>;
  /**
   * The same with the session already read (`SessionContext.readSession`'s result, e.g. handed over by
   * `createSessionRefreshProxy`), so the cookie is not decrypted and checked a second time.
   */
  withSession: (request: NextRequest, session: SessionReadResult) => Promise<NextResponse>;
}

/**
 * A `proxy.ts` function: sends signed-out requests for protected pages to the sign-in page
 * (with a safe `callbackUrl`) and records activity for the idle timeout. It is a convenience,
 * not the guard: every protected page and route handler checks the session itself. Behind
 * `createSessionRefreshProxy`, pass `withSession` as its `next`: the session is read once.
 */
export function createAuthProxy(options: AuthProxyOptions): AuthProxy {
  const loginPath = options.loginPath ?? "/login";

  async function withSession(
    request: NextRequest,
    state: SessionReadResult,
  ): Promise<NextResponse> {
    const bff = options.getBff();
    const cookies = request.cookies.getAll();

    if (state.status !== "active") {
      return isProtected(request.nextUrl.pathname, options.protectedPaths)
        ? signInRedirect(request, loginPath, bff.config.nextAuthUrl)
        : NextResponse.next();
    }

    if (isPrefetch(request)) return NextResponse.next();
    const write = await recordActivity(
      bff,
      state.claims,
      cookies.map((cookie) => cookie.name),
    );
    if (write === null) return NextResponse.next();

    // Hand the new cookie to this request's render too (refresh-in-proxy.md §1), keeping
    // every other header: an override that lists only `cookie` drops the rest.
    const dropped = new Set([...write.remove, ...write.set.map((part) => part.name)]);
    const cookieHeader = [...cookies.filter((cookie) => !dropped.has(cookie.name)), ...write.set]
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join("; ");
    const headers = new Headers(request.headers);
    headers.set("cookie", cookieHeader);
    const response = NextResponse.next({ request: { headers } });
    const attributes = {
      httpOnly: true,
      sameSite: "lax" as const,
      path: "/",
      secure: bff.config.secureCookies,
      maxAge: bff.policy.absoluteLifetimeSeconds,
    };
    for (const part of write.set) response.cookies.set(part.name, part.value, attributes);
    for (const name of write.remove) response.cookies.set(name, "", { ...attributes, maxAge: 0 });
    return response;
  }

  // Not `(request, session?)`: Next calls a `proxy` with a second argument (its fetch event).
  async function proxy(request: NextRequest): Promise<NextResponse> {
    const bff = options.getBff();
    const cookies = request.cookies.getAll();
    const hasSessionCookie = cookies.some((cookie) => cookie.name.startsWith(bff.cookieName));
    return withSession(
      request,
      hasSessionCookie ? await bff.readSession(cookies) : { status: "none" },
    );
  }

  return Object.assign(proxy, { withSession });
}
