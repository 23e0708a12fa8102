import type { FastifyInstance } from "fastify";
import { stylesheet } from "./pages.js";

/** `GET /oauth/assets/authorize.css`: the pages' only style (the CSP allows no inline style). */
export function registerStylesheetRoute(app: FastifyInstance): void {
  app.get("/oauth/assets/authorize.css", async (_request, reply) =>
    reply
      .header("content-type", "text/css; charset=utf-8")
      .header("cache-control", "public, max-age=3600")
      .header("x-content-type-options", "nosniff")
      .send(stylesheet),
  );
}
