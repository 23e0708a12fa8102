/**
 * JSON:API document shapes as Drupal core sends them (drupal-wire.md C.3): every link is an
 * object with `href`, resource ids are UUIDs, errors carry `status` as a string. Only what
 * clients read is typed; everything else stays `unknown`.
 */

export interface JsonApiLink {
  href: string;
  meta?: Record<string, unknown>;
}

/** A document's or resource's `links` object, by link name (`self`, `next`, …). */
export type JsonApiLinks = Partial<Record<string, JsonApiLink>>;

/** `{type, id}`: what a relationship points at. */
export interface JsonApiResourceIdentifier {
  type: string;
  id: string;
  meta?: Record<string, unknown>;
}

/** A relationship of a resource (`relationships.uid`). */
export interface JsonApiRelationship {
  data?: JsonApiResourceIdentifier | JsonApiResourceIdentifier[] | null;
  links?: JsonApiLinks;
}

/** One resource object: `type`, `id`, `attributes`, `relationships`, `links`. */
export interface JsonApiResource<Attributes = Record<string, unknown>> {
  type: string;
  id: string;
  attributes?: Attributes;
  relationships?: Partial<Record<string, JsonApiRelationship>>;
  links?: JsonApiLinks;
}

/** `meta.omitted`: items left out of a collection because access was denied (drupal-wire C.8). */
export interface JsonApiOmitted {
  detail?: string;
  /** `help` plus one `item--<hash>` per left-out item; the keys' names mean nothing (C.8). */
  links?: JsonApiLinks;
}

/** A JSON:API top-level document; `Data` is a resource, a list of them, or `null`. */
export interface JsonApiDocument<Data> {
  data: Data;
  included?: JsonApiResource[];
  meta?: { omitted?: JsonApiOmitted; count?: number; [key: string]: unknown };
  links?: JsonApiLinks;
}

/** One member of a JSON:API `errors` array (drupal-wire C.7). */
export interface JsonApiErrorObject {
  /** The HTTP status as a string, e.g. `"422"`. */
  status?: string;
  title?: string;
  detail?: string;
  code?: string;
  source?: { pointer?: string; parameter?: string };
}

/** A write document: `data` with `type` (and `id` for PATCH), attributes, relationships. */
export interface JsonApiWriteDocument<Attributes = Record<string, unknown>> {
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
