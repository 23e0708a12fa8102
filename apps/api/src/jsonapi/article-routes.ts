import { randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Caller } from "../auth/caller.js";
import type { Article } from "../db/articles.js";
import { createArticleRepository } from "../db/articles.js";
import { publicUser } from "../db/users.js";
import { baseUrl, requestUrl } from "../http/request-url.js";
import type { Services } from "../services.js";
import type { Access } from "./access.js";
import {
  articleCreateAccess,
  articleFilterGuard,
  articleViewAccess,
  articleWriteAccess,
  contentGate,
  userFilterGuard,
} from "./access.js";
import { readArticleChanges, readResourceObject, UUID_PATTERN } from "./article-input.js";
import { collectionSql } from "./collection-query.js";
import { assertJsonApiContentType, parseJsonBody } from "./content-negotiation.js";
import { forbidden, JsonApiError } from "./errors.js";
import { JSONAPI_MEDIA_TYPE, jsonapiMember } from "./document.js";
import { ARTICLE_TYPE, articleUrl, pagerUrl, USER_TYPE } from "./links.js";
import { methodNotAllowed } from "./method-not-allowed.js";
import type { Omission } from "./omitted.js";
import { omittedMeta } from "./omitted.js";
import { articleFieldResolver } from "./query/field-resolver.js";
import type { Fieldsets } from "./query/fields.js";
import { parseFieldsets } from "./query/fields.js";
import { parseInclude } from "./query/include.js";
import { parsePage } from "./query/page.js";
import { parseQuery } from "./query/parse-query.js";
import type { Link, ResourceObject } from "./resource-object.js";
import { sendDocument } from "./respond.js";
import { serializeArticle } from "./serialize-article.js";
import { serializeUser } from "./serialize-user.js";

const COLLECTION = "/jsonapi/node/article";
const INDIVIDUAL = "/jsonapi/node/article/:uuid";

interface UuidParams {
  uuid: string;
}

const getDetail = (access: Access) =>
  `The current user is not allowed to GET the selected resource.${
    !access.allowed && access.reason ? ` ${access.reason}` : ""
  }`;

/** node--article: collection, individual, create, update, delete, and the `uid` relationship. */
export function registerArticleRoutes(app: FastifyInstance, services: Services): void {
  const articles = createArticleRepository(services.db);

  const gate = (caller: Caller) => {
    const access = contentGate(caller);
    if (!access.allowed) throw forbidden(access.reason);
  };

  /** Param conversion: unknown or malformed UUID → Drupal's 404 document. */
  const load = (request: FastifyRequest<{ Params: UuidParams }>): Article => {
    const { uuid } = request.params;
    const article = UUID_PATTERN.test(uuid) ? articles.findByUuid(uuid.toLowerCase()) : undefined;
    if (!article) {
      throw JsonApiError.of(
        404,
        'The "entity" parameter was not converted for the path "/jsonapi/node/article/{entity}" (route name: "jsonapi.node--article.individual")',
      );
    }
    return article;
  };

  const includedAuthors = (
    list: Article[],
    caller: Caller,
    base: string,
    fieldsets: Fieldsets,
  ): ResourceObject[] => {
    const seen = new Set<number>();
    const included: ResourceObject[] = [];
    for (const article of list) {
      if (seen.has(article.uid)) continue;
      seen.add(article.uid);
      const user = services.users.findByUid(article.uid);
      if (user) included.push(serializeUser(publicUser(user), caller, base, fieldsets));
    }
    return included;
  };

  /** GET individual: view access → 403 document pointing at /data, else the resource. */
  const viewable = (request: FastifyRequest<{ Params: UuidParams }>): Article => {
    const article = load(request);
    const access = articleViewAccess(request.caller, article);
    if (!access.allowed) {
      throw forbidden(getDetail(access), {
        pointer: "/data",
        via: articleUrl(baseUrl(request), article.uuid),
      });
    }
    return article;
  };

  app.get(COLLECTION, async (request, reply) => {
    const query = parseQuery(request.url);
    const { caller } = request;
    gate(caller);
    const base = baseUrl(request);
    const page = parsePage(query.tree.page);
    const include = parseInclude(query.tree.include, ["uid"]);
    const fieldsets = parseFieldsets(query.tree.fields);
    const sql = collectionSql(
      query.tree,
      articleFieldResolver(caller),
      { whenFiltered: articleFilterGuard(caller), whenThroughUser: userFilterGuard(caller) },
      "a.nid",
    );

    // limit + 1 look-ahead tells whether there is a next page (no total count, as in core).
    const rows = articles.list({ ...sql, limit: page.limit + 1, offset: page.offset });
    const hasNext = rows.length > page.limit;
    const visible: Article[] = [];
    const omissions: Omission[] = [];
    for (const article of rows.slice(0, page.limit)) {
      const access = articleViewAccess(caller, article);
      if (access.allowed) visible.push(article);
      else omissions.push({ href: articleUrl(base, article.uuid), detail: getDetail(access) });
    }

    const links: Record<string, Link> = { self: { href: requestUrl(request) } };
    if (hasNext) {
      links.next = { href: pagerUrl(request, query.params, page.offset + page.limit, page.limit) };
    }
    if (page.offset > 0) {
      links.first = { href: pagerUrl(request, query.params, 0, page.limit) };
      links.prev = {
        href: pagerUrl(request, query.params, Math.max(page.offset - page.limit, 0), page.limit),
      };
    }
    return sendDocument(reply, 200, {
      data: visible.map((article) => serializeArticle(article, base, fieldsets)),
      ...(include.length > 0
        ? { included: includedAuthors(visible, caller, base, fieldsets) }
        : {}),
      ...(omissions.length > 0 ? { meta: { omitted: omittedMeta(omissions) } } : {}),
      links,
    });
  });

  app.get<{ Params: UuidParams }>(INDIVIDUAL, async (request, reply) => {
    const query = parseQuery(request.url);
    const base = baseUrl(request);
    const include = parseInclude(query.tree.include, ["uid"]);
    const fieldsets = parseFieldsets(query.tree.fields);
    const article = viewable(request);
    checkResourceVersion(query.params.get("resourceVersion"), article);
    return sendDocument(reply, 200, {
      data: serializeArticle(article, base, fieldsets),
      ...(include.length > 0
        ? { included: includedAuthors([article], request.caller, base, fieldsets) }
        : {}),
      links: { self: { href: requestUrl(request) } },
    });
  });

  // Related resource and relationship object of `uid`.
  app.get<{ Params: UuidParams }>(`${INDIVIDUAL}/uid`, async (request, reply) => {
    const query = parseQuery(request.url);
    const base = baseUrl(request);
    const fieldsets = parseFieldsets(query.tree.fields);
    const article = viewable(request);
    const author = services.users.findByUid(article.uid);
    return sendDocument(reply, 200, {
      data: author ? serializeUser(publicUser(author), request.caller, base, fieldsets) : [],
      links: { self: { href: requestUrl(request) } },
    });
  });

  app.get<{ Params: UuidParams }>(`${INDIVIDUAL}/relationships/uid`, async (request, reply) => {
    parseQuery(request.url);
    const article = viewable(request);
    const url = articleUrl(baseUrl(request), article.uuid);
    return reply
      .code(200)
      .type(JSONAPI_MEDIA_TYPE)
      .send({
        jsonapi: jsonapiMember,
        data: {
          type: USER_TYPE,
          id: article.authorUuid,
          meta: { drupal_internal__target_id: article.uid },
        },
        links: { self: { href: requestUrl(request) }, related: { href: `${url}/uid` } },
      });
  });

  app.post(COLLECTION, async (request, reply) => {
    assertJsonApiContentType(request);
    parseQuery(request.url);
    const { caller } = request;
    const access = articleCreateAccess(caller);
    if (!access.allowed) throw forbidden(access.reason);

    const data = readResourceObject(parseJsonBody(request.body), ARTICLE_TYPE);
    let uuid: string = randomUUID();
    if (data.id !== undefined) {
      if (typeof data.id !== "string" || !UUID_PATTERN.test(data.id)) {
        throw new JsonApiError(422, [
          {
            detail:
              "IDs should be properly generated and formatted UUIDs as described in RFC 4122.",
            pointer: "/data/id",
          },
        ]);
      }
      uuid = data.id.toLowerCase();
      if (articles.findByUuid(uuid)) throw JsonApiError.of(409, "Conflict: Entity already exists.");
    }
    const changes = readArticleChanges(data, {
      mode: "POST",
      caller,
      findUserByUuid: (id) => services.users.findByUuid(id.toLowerCase()),
    });
    const created = articles.create({
      uuid,
      title: changes.title ?? "",
      body: changes.body ?? null,
      status: changes.status ?? true,
      promote: changes.promote ?? true,
      sticky: changes.sticky ?? false,
      uid: changes.uid ?? (caller.kind === "user" ? caller.user.uid : 0),
      created: changes.created ?? Math.floor(Date.now() / 1000),
    });
    const base = baseUrl(request);
    const location = articleUrl(base, created.uuid);
    reply.header("location", location);
    return sendDocument(reply, 201, {
      data: serializeArticle(created, base),
      links: { self: { href: location } },
    });
  });

  app.patch<{ Params: UuidParams }>(INDIVIDUAL, async (request, reply) => {
    assertJsonApiContentType(request);
    parseQuery(request.url);
    const { caller } = request;
    const article = load(request);
    const access = articleWriteAccess(caller, article, "edit");
    if (!access.allowed) throw forbidden(access.reason);

    const data = readResourceObject(parseJsonBody(request.body), ARTICLE_TYPE);
    if (data.id !== article.uuid) {
      const sent =
        typeof data.id === "string" || data.id === undefined
          ? (data.id ?? "")
          : JSON.stringify(data.id);
      throw JsonApiError.of(
        400,
        `The selected entity (${article.uuid}) does not match the ID in the payload (${sent}).`,
      );
    }
    const changes = readArticleChanges(data, {
      mode: "PATCH",
      caller,
      current: article,
      findUserByUuid: (id) => services.users.findByUuid(id.toLowerCase()),
    });
    const updated = articles.update(article.nid, changes);
    const base = baseUrl(request);
    return sendDocument(reply, 200, {
      data: serializeArticle(updated, base),
      links: { self: { href: requestUrl(request) } },
    });
  });

  app.delete<{ Params: UuidParams }>(INDIVIDUAL, async (request, reply) => {
    parseQuery(request.url);
    const article = load(request);
    const access = articleWriteAccess(request.caller, article, "delete");
    if (!access.allowed) throw forbidden(access.reason);
    articles.delete(article.nid);
    return reply.code(204).send();
  });

  methodNotAllowed(app, COLLECTION, ["GET", "POST"]);
  methodNotAllowed(app, INDIVIDUAL, ["GET", "PATCH", "DELETE"]);
  methodNotAllowed(app, `${INDIVIDUAL}/uid`, ["GET"]);
  methodNotAllowed(app, `${INDIVIDUAL}/relationships/uid`, ["GET"]);
}

/**
 * `resourceVersion`: only the current revision exists here. `id:<current vid>` and the
 * `rel:latest-version` / `rel:working-copy` relations resolve to it; another revision id is 404.
 */
function checkResourceVersion(value: string | null, article: Article): void {
  if (value === null) return;
  if (value === "rel:latest-version" || value === "rel:working-copy") return;
  const match = /^id:(\d+)$/.exec(value);
  if (!match) {
    throw JsonApiError.of(
      400,
      `An invalid resource version identifier, \`${value}\`, was provided.`,
    );
  }
  if (Number(match[1]) !== article.vid) {
    throw JsonApiError.of(
      404,
      `The requested version, identified by \`${value}\`, could not be found.`,
    );
  }
}
