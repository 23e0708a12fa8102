/**
 * Benchmark fixture (`npm run bench`, scenario c "floor"): what Next.js itself costs for a
 * route handler. No session, no upstream call, no data: a fixed JSON document of padding,
 * `?bytes=N` long (so it matches the size of the proxied answer), GET only.
 *
 * Unauthenticated, so it answers 404 unless the app was started with BENCH_FLOOR_ROUTE=1, which
 * only the bench's server start sets (apps/web/bench/servers.ts).
 */
const maxBytes = 64 * 1024;
const skeleton = '{"benchmark":"floor","padding":""}';
const bodies = new Map<number, Uint8Array<ArrayBuffer>>();
// Read once: the floor should cost what a bare route handler costs, not an env lookup more.
const enabled = process.env.BENCH_FLOOR_ROUTE === "1";

function bodyOf(bytes: number): Uint8Array<ArrayBuffer> {
  let body = bodies.get(bytes);
  if (body === undefined) {
    const padding = "x".repeat(Math.max(0, bytes - skeleton.length));
    const text = `{"benchmark":"floor","padding":"${padding}"}`;
    body = new Uint8Array(new ArrayBuffer(text.length));
    new TextEncoder().encodeInto(text, body);
    if (bodies.size >= 8) bodies.clear();
    bodies.set(bytes, body);
  }
  return body;
}

export function GET(request: Request): Response {
  if (!enabled) return new Response(null, { status: 404 });
  const raw = new URL(request.url).searchParams.get("bytes") ?? "2048";
  const bytes = /^\d{1,6}$/.test(raw) ? Math.min(Number(raw), maxBytes) : 2048;
  return new Response(bodyOf(bytes), {
    headers: {
      "content-type": "application/vnd.api+json",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}

export const dynamic = "force-dynamic";
