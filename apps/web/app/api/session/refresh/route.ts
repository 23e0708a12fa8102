import { createSessionRefreshRoute } from "next-token-bff/refresh";
import { getBff } from "../../../../lib/bff";
import { getRefresher } from "../../../../lib/refresh";

/**
 * `/api/session/refresh?callbackUrl=/path`: server components that find an expired access
 * token (the proxy did not refresh it) send the browser here; it refreshes and goes back.
 */
export async function GET(request: Request): Promise<Response> {
  return createSessionRefreshRoute({ getBff, refresher: getRefresher() })(request);
}

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
