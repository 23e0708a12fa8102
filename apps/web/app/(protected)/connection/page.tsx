import type { Metadata } from "next";
import { bff } from "../../../lib/bff";
import { ParallelCheck } from "./parallel-check";

export const metadata: Metadata = { title: "API connection" };
export const dynamic = "force-dynamic";

interface EntryPoint {
  meta?: { links?: { me?: { meta?: { id?: string } } } };
}

/**
 * Reads the upstream with the session's access token while rendering (server side, through
 * `bff.upstream`), and lets the browser fire several proxied calls at once. Both keep working
 * across token expiry and older cookies: the proxy refreshes before this render, a token the
 * upstream refuses goes through the refresh route and back, and the upstream route refreshes
 * for the browser calls.
 */
export default async function ConnectionPage() {
  const upstream = await bff.upstream("/connection");
  const answer = await upstream.get<EntryPoint>("/jsonapi");
  const upstreamUserId = answer.ok ? (answer.document?.meta?.links?.me?.meta?.id ?? null) : null;

  return (
    <div className="stack">
      <h1>API connection</h1>
      <section className="card stack" aria-labelledby="server-read">
        <h2 id="server-read">Read by the server</h2>
        <dl className="details">
          <dt>Upstream answered</dt>
          <dd data-testid="server-status">{answer.status}</dd>
          <dt>You are, says the upstream</dt>
          <dd data-testid="server-user">{upstreamUserId ?? "—"}</dd>
          <dt>Access token valid until</dt>
          <dd data-testid="token-expires" data-value={upstream.session.accessTokenExpiresAt}>
            {new Date(upstream.session.accessTokenExpiresAt).toISOString()}
          </dd>
        </dl>
      </section>
      <section className="card stack" aria-labelledby="browser-read">
        <h2 id="browser-read">Read by your browser</h2>
        <ParallelCheck count={5} />
      </section>
    </div>
  );
}
