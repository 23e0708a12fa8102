/**
 * The bare app's trivial route: apps/web's own floor route handler, the same code and the same
 * 2 KB JSON by default (`?bytes=N` for another size). It answers 404 unless BENCH_FLOOR_ROUTE=1,
 * as in apps/web; the bench sets it.
 */
export { GET } from "../../../../../app/api/bench-floor/route";

export const dynamic = "force-dynamic";
