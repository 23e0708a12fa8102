import type { FastifyInstance } from "fastify";
import { baseUrl } from "../http/request-url.js";
import {
  ARTICLE_TYPE,
  articleCollectionUrl,
  USER_TYPE,
  userCollectionUrl,
  userUrl,
} from "./links.js";
import { methodNotAllowed } from "./method-not-allowed.js";
import { parseQuery } from "./query/parse-query.js";
import { sendDocument } from "./respond.js";

/** `GET /jsonapi`: one link per resource type, and `meta.links.me` for an authenticated caller. */
export function registerEntryPoint(app: FastifyInstance): void {
  app.get("/jsonapi", async (request, reply) => {
    parseQuery(request.url);
    const base = baseUrl(request);
    const { caller } = request;
    return sendDocument(reply, 200, {
      data: [],
      ...(caller.kind === "user"
        ? {
            meta: {
              links: {
                me: { meta: { id: caller.user.uuid }, href: userUrl(base, caller.user.uuid) },
              },
            },
          }
        : {}),
      links: {
        self: { href: `${base}/jsonapi` },
        [ARTICLE_TYPE]: { href: articleCollectionUrl(base) },
        [USER_TYPE]: { href: userCollectionUrl(base) },
      },
    });
  });
  methodNotAllowed(app, "/jsonapi", ["GET"]);
}
