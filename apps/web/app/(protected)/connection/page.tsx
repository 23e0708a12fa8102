import type { Metadata } from "next";
import { bff } from "../../../lib/bff";
import { ParallelCheck } from "./parallel-check";

export const metadata: Metadata = { title: "API connection" };
export const dynamic = "force-dynamic";

interface EntryPoint {
  meta?: { links?: { me?: { meta?: { id?: string } } } };
}

/**
 * Reads the upstream with the session's access token while rendering (server side), and lets
 * the browser fire several proxied calls at once. Both keep working across token expiry: the
 * proxy refreshes before this render, and the upstream route refreshes for the browser calls.
 */
export default async function ConnectionPage() {
  const { claims } = await bff.requireFreshSession("/connection");
  const base = bff.config.upstream.baseUrl.replace(/\/+$/, "");
  const answer = await fetch(`${base}/jsonapi`, {
    headers: { authorization: `Bearer ${claims.accessToken}`, accept: "application/vnd.api+json" },
    cache: "no-store",
  });
  // A 401 for a token that is not due is shown as it is (no redirect, so no loop); the server
  // upstream client (`createServerUpstream`) is the helper that handles it with a refresh.
  const entry = answer.ok ? ((await answer.json()) as EntryPoint) : null;
  const upstreamUserId = entry?.meta?.links?.me?.meta?.id ?? null;

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
          <dd data-testid="token-expires" data-value={claims.accessTokenExpiresAt}>
            {new Date(claims.accessTokenExpiresAt).toISOString()}
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
