import { createAuthRouteHandler } from "next-token-bff/server";
import { getBff } from "../../../../lib/bff";

const handler = createAuthRouteHandler(getBff);
export { handler as GET, handler as POST };
