import { bff } from "../../../lib/bff";

/** The signed-in person's display fields, for browser code; checks the session itself. */
export async function GET(request: Request): Promise<Response> {
  const state = await bff.readRequestSession(request);
  const headers = { "cache-control": "no-store" };
  if (state.status !== "active") {
    return Response.json({ error: "session_expired" }, { status: 401, headers });
  }
  return Response.json(state.session, { headers });
}
