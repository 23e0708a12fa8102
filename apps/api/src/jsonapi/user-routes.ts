import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Caller } from "../auth/caller.js";
import type { User } from "../db/users.js";
import { publicUser } from "../db/users.js";
import { baseUrl, requestUrl } from "../http/request-url.js";
import type { Services } from "../services.js";
import { contentGate, userFilterGuard } from "./access.js";
import { UUID_PATTERN } from "./article-input.js";
import { collectionSql } from "./collection-query.js";
import { forbidden, JsonApiError } from "./errors.js";
import type { Link } from "./resource-object.js";
import { pagerUrl, userUrl } from "./links.js";
import { methodNotAllowed } from "./method-not-allowed.js";
import { userFieldResolver } from "./query/field-resolver.js";
import { parseFieldsets } from "./query/fields.js";
import { parseInclude } from "./query/include.js";
import { parsePage } from "./query/page.js";
import { parseQuery } from "./query/parse-query.js";
import { sendDocument } from "./respond.js";
import { serializeUser } from "./serialize-user.js";

const COLLECTION = "/jsonapi/user/user";
const INDIVIDUAL = "/jsonapi/user/user/:uuid";

interface UserRow {
  uid: number;
  uuid: string;
  name: string;
  mail: string | null;
  status: number;
  created: number;
  changed: number;
}

/** user--user: read-only collection and individual resources (writes → 405). */
export function registerUserRoutes(app: FastifyInstance, services: Services): void {
  const gate = (caller: Caller) => {
    const access = contentGate(caller);
    if (!access.allowed) throw forbidden(access.reason);
  };

  // Explicit columns: the password hash is never selected for JSON:API.
  const listUsers = (
    where: string,
    params: Array<string | number | null>,
    orderBy: string,
    limit: number,
    offset: number,
  ): User[] =>
    services.db
      .prepare<Array<string | number | null>, UserRow>(
        `SELECT u.uid, u.uuid, u.name, u.mail, u.status, u.created, u.changed FROM users u
         WHERE ${where} ORDER BY ${orderBy} LIMIT ? OFFSET ?`,
      )
      .all(...params, limit, offset)
      .map((row) => ({ ...row, status: row.status === 1, roles: [] }));

  app.get(COLLECTION, async (request, reply) => {
    const query = parseQuery(request.url);
    const { caller } = request;
    gate(caller);
    const base = baseUrl(request);
    const page = parsePage(query.tree.page);
    parseInclude(query.tree.include, []);
    const fieldsets = parseFieldsets(query.tree.fields);
    const sql = collectionSql(
      query.tree,
      userFieldResolver(caller),
      { whenFiltered: userFilterGuard(caller) },
      "u.uid",
    );
    const rows = listUsers(sql.where, sql.params, sql.orderBy, page.limit + 1, page.offset);
    const links: Record<string, Link> = { self: { href: requestUrl(request) } };
    if (rows.length > page.limit) {
      links.next = { href: pagerUrl(request, query.params, page.offset + page.limit, page.limit) };
    }
    if (page.offset > 0) {
      links.first = { href: pagerUrl(request, query.params, 0, page.limit) };
      links.prev = {
        href: pagerUrl(request, query.params, Math.max(page.offset - page.limit, 0), page.limit),
      };
    }
    return sendDocument(reply, 200, {
      data: rows.slice(0, page.limit).map((user) => serializeUser(user, caller, base, fieldsets)),
      links,
    });
  });

  app.get<{ Params: { uuid: string } }>(
    INDIVIDUAL,
    async (request: FastifyRequest<{ Params: { uuid: string } }>, reply) => {
      const query = parseQuery(request.url);
      parseInclude(query.tree.include, []);
      const fieldsets = parseFieldsets(query.tree.fields);
      const { uuid } = request.params;
      const user = UUID_PATTERN.test(uuid)
        ? services.users.findByUuid(uuid.toLowerCase())
        : undefined;
      if (!user) {
        throw JsonApiError.of(
          404,
          'The "entity" parameter was not converted for the path "/jsonapi/user/user/{entity}" (route name: "jsonapi.user--user.individual")',
        );
      }
      const access = contentGate(request.caller);
      if (!access.allowed) {
        throw forbidden(
          `The current user is not allowed to GET the selected resource. ${access.reason}`,
          { pointer: "/data", via: userUrl(baseUrl(request), user.uuid) },
        );
      }
      return sendDocument(reply, 200, {
        data: serializeUser(publicUser(user), request.caller, baseUrl(request), fieldsets),
        links: { self: { href: requestUrl(request) } },
      });
    },
  );

  methodNotAllowed(app, COLLECTION, ["GET"]);
  methodNotAllowed(app, INDIVIDUAL, ["GET"]);
}
