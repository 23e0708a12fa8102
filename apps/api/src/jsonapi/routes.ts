import type { FastifyInstance } from "fastify";
import { registerBearerAuth } from "../http/bearer-auth.js";
import type { Services } from "../services.js";

/** Core JSON:API: the entry point, node--article and user--user. */
export async function jsonapiRoutes(
  app: FastifyInstance,
  { services }: { services: Services },
): Promise<void> {
  registerBearerAuth(app, services.verifier);
}
