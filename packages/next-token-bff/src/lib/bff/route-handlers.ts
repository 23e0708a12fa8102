import type { NextRequest } from "next/server";
import type { SessionRefresher } from "../refresh/session-refresh.js";
import { createSessionRefreshRoute } from "../refresh/refresh-route.js";
import { createSignOutEverywhereHandler } from "../session/sign-out-everywhere-route.js";
import { createAuthRouteHandler } from "../sign-in/auth-route.js";
import type { UpstreamRoute } from "../upstream/upstream-route.js";
import type { BffCore } from "./bff.js";

/** Where the catch-all route serves each of the library's routes. */
export interface BffRoutes {
  /** next-auth (sign-in, callbacks, session, sign-out). Default: `/api/auth`. */
  auth: string;
  /** The upstream proxy for browser code. Default: `/api/upstream`. */
  upstream: string;
  /** Refresh and come back, for server components. Default: `/api/session/refresh`. */
  refresh: string;
  /** Sign out everywhere (`POST`). Default: `/api/session/end-all`. */
  signOutEverywhere: string;
}

type Handler = (request: NextRequest, context?: unknown) => Promise<Response>;
/** One handler per method, to export from the catch-all `route.ts`. */
export type RouteHandlers = Record<"GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE", Handler>;

const noStore = { "cache-control": "no-store" };

/** The path below `prefix`, split into raw segments, or null when `pathname` is not below it. */
function below(pathname: string, prefix: string): string[] | null {
  return pathname.startsWith(`${prefix}/`) ? pathname.slice(prefix.length + 1).split("/") : null;
}

/**
 * The catch-all route: sends each request to the library route its path names. Paths are read
 * from the URL, so the route file may sit anywhere above them (`app/api/[...bff]/route.ts`).
 */
export function createRouteHandlers(deps: {
  routes: BffRoutes;
  loginPath: string;
  getCore: () => BffCore;
  getRefresher: () => SessionRefresher;
  getUpstream: () => UpstreamRoute;
}): RouteHandlers {
  const { routes } = deps;
  const auth = createAuthRouteHandler(() => deps.getCore().authOptions);
  const signOutEverywhere = createSignOutEverywhereHandler(deps.getCore);
  let refresh: ((request: Request) => Promise<Response>) | undefined;

  async function handle(request: NextRequest): Promise<Response> {
    const { pathname } = new URL(request.url);
    const upstreamPath = below(pathname, routes.upstream);
    if (upstreamPath !== null) {
      const path = upstreamPath.map((segment) => {
        try {
          return decodeURIComponent(segment);
        } catch {
          return segment;
        }
      });
      return deps.getUpstream().handle(request, { params: Promise.resolve({ path }) });
    }
    const authPath = below(pathname, routes.auth);
    if (authPath !== null) {
      return auth(request, { params: Promise.resolve({ nextauth: authPath }) });
    }
    if (pathname === routes.refresh) {
      if (request.method !== "GET") return methodNotAllowed("GET");
      refresh ??= createSessionRefreshRoute({
        getBff: deps.getCore,
        refresher: deps.getRefresher(),
        loginPath: deps.loginPath,
      });
      return refresh(request);
    }
    if (pathname === routes.signOutEverywhere) {
      if (request.method !== "POST") return methodNotAllowed("POST");
      return signOutEverywhere(request);
    }
    return Response.json({ error: "not_found" }, { status: 404, headers: noStore });
  }

  return { GET: handle, HEAD: handle, POST: handle, PUT: handle, PATCH: handle, DELETE: handle };
}

function methodNotAllowed(allow: string): Response {
  return Response.json(
    { error: "method_not_allowed" },
    { status: 405, headers: { ...noStore, allow } },
  );
}
