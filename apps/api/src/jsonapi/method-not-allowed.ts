import type { FastifyInstance, HTTPMethods } from "fastify";
import { baseUrl } from "../http/request-url.js";
import { JsonApiError } from "./errors.js";

const routable: HTTPMethods[] = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/** Answers every other method on `url` with 405 and an `Allow` header (Symfony's wording). */
export function methodNotAllowed(app: FastifyInstance, url: string, allowed: HTTPMethods[]): void {
  const methods = routable.filter((method) => !allowed.includes(method));
  const allow = allowed.join(", ");
  app.route({
    method: methods,
    url,
    handler: (request) => {
      const path = request.url.split("?")[0] ?? "";
      throw JsonApiError.of(
        405,
        `No route found for "${request.method} ${baseUrl(request)}${path}": Method Not Allowed (Allow: ${allow})`,
        { headers: { allow } },
      );
    },
  });
}
