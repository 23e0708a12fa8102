import type { FastifyInstance } from "fastify";
import type { Services } from "../services.js";
import { registerMethodNotAllowed } from "./method-not-allowed.js";
import { OAUTH_JSON } from "./oauth-error.js";

/**
 * `GET /oauth/jwks`: public in simple_oauth 6.x. Only the public members are published
 * (`kty`, `n`, `e`, plus `alg` and `use`, which Drupal leaves out but clients may use).
 */
export function registerJwksRoute(app: FastifyInstance, services: Services): void {
  app.get("/oauth/jwks", async (_request, reply) =>
    reply.type(OAUTH_JSON).send({ keys: [services.key.publicJwk] }),
  );
  registerMethodNotAllowed(app, "/oauth/jwks", ["GET"]);
}
