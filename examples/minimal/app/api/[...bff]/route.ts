import { bff } from "../../../lib/bff";

// next-auth, the upstream proxy (/api/upstream/…) and the session routes.
export const { GET, HEAD, POST, PUT, PATCH, DELETE } = bff.handlers;
export const dynamic = "force-dynamic";
