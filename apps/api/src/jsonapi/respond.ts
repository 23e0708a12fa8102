import type { FastifyReply } from "fastify";
import { JSONAPI_MEDIA_TYPE, jsonapiMember } from "./document.js";
import type { Link, ResourceObject } from "./resource-object.js";

export interface DocumentParts {
  data: ResourceObject | ResourceObject[] | [];
  included?: ResourceObject[];
  meta?: Record<string, unknown>;
  links?: Record<string, Link>;
}

/** Top-level members in Drupal's order: jsonapi, data, included, meta, links. */
export function document(parts: DocumentParts) {
  return {
    jsonapi: jsonapiMember,
    data: parts.data,
    ...(parts.included ? { included: parts.included } : {}),
    ...(parts.meta ? { meta: parts.meta } : {}),
    ...(parts.links ? { links: parts.links } : {}),
  };
}

export function sendDocument(reply: FastifyReply, status: number, parts: DocumentParts) {
  return reply.code(status).type(JSONAPI_MEDIA_TYPE).send(document(parts));
}
