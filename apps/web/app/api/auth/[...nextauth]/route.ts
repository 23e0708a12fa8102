import { createAuthRouteHandler } from "next-token-bff/server";
import { getBff } from "../../../../lib/bff";

/** next-auth's own routes (sign-in callback, sign-out, session, CSRF), with the BFF's options. */
const handler = createAuthRouteHandler(getBff);

export { handler as GET, handler as POST };
