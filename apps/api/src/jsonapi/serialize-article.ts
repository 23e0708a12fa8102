import type { Article } from "../db/articles.js";
import { ARTICLE_TYPE, articleUrl, resourceVersion, USER_TYPE } from "./links.js";
import type { Fieldsets } from "./query/fields.js";
import { wants } from "./query/fields.js";
import type { Relationship, ResourceObject } from "./resource-object.js";
import { rfc3339, withMembers } from "./resource-object.js";
import { processText } from "./text-format.js";

/** A node--article resource object, shaped like Drupal core's (`NodeTest::getExpectedDocument`). */
export function serializeArticle(
  article: Article,
  base: string,
  fieldsets: Fieldsets = new Map(),
): ResourceObject {
  const url = articleUrl(base, article.uuid);
  const version = resourceVersion(article.vid);
  const wanted = (name: string) => wants(fieldsets, ARTICLE_TYPE, name);

  const attributes = withMembers(
    {
      drupal_internal__nid: article.nid,
      drupal_internal__vid: article.vid,
      langcode: "en",
      status: article.status,
      title: article.title,
      created: rfc3339(article.created),
      changed: rfc3339(article.changed),
      promote: article.promote,
      sticky: article.sticky,
      body: article.body && {
        value: article.body.value,
        format: article.body.format,
        processed: processText(article.body.value, article.body.format),
        summary: article.body.summary,
      },
    },
    wanted,
  );
  const uid: Relationship = {
    data: {
      type: USER_TYPE,
      id: article.authorUuid,
      meta: { drupal_internal__target_id: article.uid },
    },
    links: {
      related: { href: `${url}/uid?${version}` },
      self: { href: `${url}/relationships/uid?${version}` },
    },
  };
  const relationships = withMembers({ uid }, wanted);

  return {
    type: ARTICLE_TYPE,
    id: article.uuid,
    links: { self: { href: `${url}?${version}` } },
    ...(attributes ? { attributes } : {}),
    ...(relationships ? { relationships } : {}),
  };
}
