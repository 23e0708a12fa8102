import type { UpstreamRouteHandler } from "next-token-bff/upstream";
import { upstreamRoute } from "../../../../lib/upstream-route";

/**
 * `/api/upstream/<upstream path>` → `{UPSTREAM_URL}/<upstream path>` with the session's access
 * token (lib/upstream-route.ts). Reads are usually answered in proxy.ts with the same handler;
 * this route handler serves requests with a body (and everything when UPSTREAM_IN_PROXY=0).
 */
const handle: UpstreamRouteHandler = (request, context) => upstreamRoute().handle(request, context);

export const GET = handle;
export const HEAD = handle;
export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
export const dynamic = "force-dynamic";
export const runtime = "nodejs";
