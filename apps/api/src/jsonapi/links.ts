import type { FastifyRequest } from "fastify";
import { baseUrl } from "../http/request-url.js";

export const ARTICLE_TYPE = "node--article";
export const USER_TYPE = "user--user";

export const articleCollectionUrl = (base: string) => `${base}/jsonapi/node/article`;
export const articleUrl = (base: string, uuid: string) => `${base}/jsonapi/node/article/${uuid}`;
export const userCollectionUrl = (base: string) => `${base}/jsonapi/user/user`;
export const userUrl = (base: string, uuid: string) => `${base}/jsonapi/user/user/${uuid}`;

/** `?resourceVersion=id%3A<vid>`, as on links of revisionable resources. */
export const resourceVersion = (vid: number) => `resourceVersion=id%3A${vid}`;

/** The request URL with only the page parameters replaced (Drupal `getPagerQueries`). */
export function pagerUrl(
  request: FastifyRequest,
  params: URLSearchParams,
  offset: number,
  limit: number,
): string {
  const path = request.url.split("?")[0] ?? "";
  const out = new URLSearchParams();
  let placed = false;
  const placePage = () => {
    if (placed) return;
    out.append("page[offset]", String(offset));
    out.append("page[limit]", String(limit));
    placed = true;
  };
  for (const [name, value] of params) {
    if (name === "page" || name.startsWith("page[")) {
      placePage();
      continue;
    }
    out.append(name, value);
  }
  placePage();
  return `${baseUrl(request)}${path}?${out.toString()}`;
}
