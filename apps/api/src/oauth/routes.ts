import type { FastifyInstance } from "fastify";
import type { Services } from "../services.js";

/** simple_oauth's endpoints: /oauth/token, /oauth/revoke, /oauth/userinfo, /oauth/jwks. */
export async function oauthRoutes(
  _app: FastifyInstance,
  _options: { services: Services },
): Promise<void> {
  // Filled in by the OAuth work.
}
