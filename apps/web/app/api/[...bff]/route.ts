import { bff } from "../../../lib/bff";

/**
 * The library's routes: next-auth (`/api/auth/…`), the upstream proxy for browser code
 * (`/api/upstream/<upstream path>`; reads are usually answered in proxy.ts already),
 * `/api/session/refresh` and `/api/session/end-all`. App routes such as `/api/me` win over it.
 */
export const { GET, HEAD, POST, PUT, PATCH, DELETE } = bff.handlers;
export const dynamic = "force-dynamic";
