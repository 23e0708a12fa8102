import type { FastifyInstance, HTTPMethods } from "fastify";
import { oauthErrors } from "./oauth-error.js";

const methods: HTTPMethods[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** Answers every other method on `url` with 405 and an `Allow` header, in OAuth error JSON. */
export function registerMethodNotAllowed(
  app: FastifyInstance,
  url: string,
  allowed: readonly HTTPMethods[],
): void {
  const others = methods.filter((method) => !allowed.includes(method));
  app.route({
    method: others,
    url,
    handler: () => {
      throw oauthErrors.methodNotAllowed(allowed.join(", "));
    },
  });
}
