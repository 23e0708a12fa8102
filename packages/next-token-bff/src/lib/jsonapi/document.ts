/**
 * JSON:API document shapes as Drupal core sends them (drupal-wire.md C.3): every link is an
 * object with `href`, resource ids are UUIDs, errors carry `status` as a string. Only what
 * clients read is typed; everything else stays `unknown`.
 */

export interface JsonApiLink {
  /** The link's URL. */
  href: string;
  /** Extra information about the link. */
  meta?: Record<string, unknown>;
}

/** A document's or resource's `links` object, by link name (`self`, `next`, …). */
export type JsonApiLinks = Partial<Record<string, JsonApiLink>>;

/** `{type, id}`: what a relationship points at. */
export interface JsonApiResourceIdentifier {
  /** The resource type, e.g. `user--user`. */
  type: string;
  /** The resource id (a UUID on Drupal). */
  id: string;
  /** Extra information about the link between the two resources. */
  meta?: Record<string, unknown>;
}

/** A relationship of a resource (`relationships.uid`). */
export interface JsonApiRelationship {
  /** What the relationship points at; `null` or `[]` when empty. */
  data?: JsonApiResourceIdentifier | JsonApiResourceIdentifier[] | null;
  /** The relationship's links (`self`, `related`). */
  links?: JsonApiLinks;
}

/** One resource object: `type`, `id`, `attributes`, `relationships`, `links`. */
export interface JsonApiResource<Attributes = Record<string, unknown>> {
  /** The resource type, e.g. `node--article`. */
  type: string;
  /** The resource id (a UUID on Drupal). */
  id: string;
  /** The resource's fields. */
  attributes?: Attributes;
  /** Relationships by field name. */
  relationships?: Partial<Record<string, JsonApiRelationship>>;
  /** The resource's links, e.g. `self`. */
  links?: JsonApiLinks;
}

/** `meta.omitted`: items left out of a collection because access was denied (drupal-wire C.8). */
export interface JsonApiOmitted {
  /** Human-readable note on why items were left out. */
  detail?: string;
  /** `help` plus one `item--<hash>` per left-out item; the keys' names mean nothing (C.8). */
  links?: JsonApiLinks;
}

/** A JSON:API top-level document; `Data` is a resource, a list of them, or `null`. */
export interface JsonApiDocument<Data> {
  /** The primary data: a resource, a list of them, or `null`. */
  data: Data;
  /** Related resources asked for with `?include=`. */
  included?: JsonApiResource[];
  /** Document meta; Drupal puts `omitted` and `count` here. */
  meta?: { omitted?: JsonApiOmitted; count?: number; [key: string]: unknown };
  /** Document links, e.g. `self` and `next` (absolute upstream URLs). */
  links?: JsonApiLinks;
}

/** One member of a JSON:API `errors` array (drupal-wire C.7). */
export interface JsonApiErrorObject {
  /** The HTTP status as a string, e.g. `"422"`. */
  status?: string;
  /** Short summary of the problem. */
  title?: string;
  /** Explanation of this occurrence of the problem. */
  detail?: string;
  /** Application-specific error code. */
  code?: string;
  /** What caused the error: a JSON pointer into the request body or a query parameter. */
  source?: { pointer?: string; parameter?: string };
}

/** A write document: `data` with `type` (and `id` for PATCH), attributes, relationships. */
export interface JsonApiWriteDocument<Attributes = Record<string, unknown>> {
  /** The resource to create or update. */
  data: {
    type: string;
    id?: string;
    attributes?: Partial<Attributes>;
    relationships?: Record<string, { data: JsonApiResourceIdentifier | null }>;
  };
}

/** `application/vnd.api+json`. */
export const JSON_API_MEDIA_TYPE = "application/vnd.api+json";

/** The resource a to-one relationship points at, looked up in `included`. */
export function includedResource<Attributes = Record<string, unknown>>(
  document: Pick<JsonApiDocument<unknown>, "included">,
  relationship: JsonApiRelationship | undefined,
): JsonApiResource<Attributes> | undefined {
  const target = relationship?.data;
  if (target === undefined || target === null || Array.isArray(target)) return undefined;
  const found = document.included?.find(
    (resource) => resource.type === target.type && resource.id === target.id,
  );
  return found as JsonApiResource<Attributes> | undefined;
}

/** How many items the upstream left out of a collection page for lack of access (C.8). */
export function omittedCount(document: Pick<JsonApiDocument<unknown>, "meta">): number {
  const links = document.meta?.omitted?.links;
  if (links === undefined) return 0;
  return Object.keys(links).filter((key) => key !== "help").length;
}
