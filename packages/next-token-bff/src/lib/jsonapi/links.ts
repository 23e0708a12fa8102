import type { JsonApiLink } from "./document.js";

/**
 * Upstream documents carry absolute links (`links.next.href` =
 * `https://cms.example.com/jsonapi/node/article?page%5Boffset%5D=10`). These helpers turn them
 * into paths for our own server (`/api/upstream/...` or the server client) and refuse links
 * that point anywhere else, so a document can never choose an arbitrary URL.
 */

// eslint-disable-next-line no-control-regex -- control characters are refused, not matched as text
const unsafePath = /(^|\/)\.\.?(\/|$)|\/\/|\\|%2f|%5c|%2e|@|[\u0000-\u001f\u007f]/i;

/**
 * The upstream path (with query) of an absolute upstream link, or null when it is on another
 * origin, outside the base path or outside the allowed prefixes. `upstreamBaseUrl` is the
 * configured `UPSTREAM_URL` (a sub-path install keeps its path).
 */
export function upstreamPathOfLink(
  link: JsonApiLink | string | undefined,
  upstreamBaseUrl: string,
  allowedPrefixes: readonly string[] = ["/jsonapi/"],
): string | null {
  const href = typeof link === "string" ? link : link?.href;
  if (href === undefined) return null;
  let url: URL;
  let base: URL;
  try {
    url = new URL(href);
    base = new URL(upstreamBaseUrl);
  } catch {
    return null;
  }
  if (url.origin !== base.origin || url.username !== "" || url.password !== "") return null;
  const basePath = base.pathname.replace(/\/+$/, "");
  if (basePath !== "" && !url.pathname.startsWith(`${basePath}/`)) return null;
  const path = url.pathname.slice(basePath.length);
  if (unsafePath.test(path)) return null;
  const allowed = allowedPrefixes.some((prefix) =>
    prefix.endsWith("/")
      ? path.startsWith(prefix) || path === prefix.slice(0, -1)
      : path === prefix,
  );
  return allowed ? `${path}${url.search}` : null;
}

/**
 * For browser code, which does not know the upstream's origin: the path of a link from a
 * document the proxy returned, as a path under our proxy mount (`/api/upstream/jsonapi/...`).
 * Only the path and query are kept (the proxy adds the upstream origin itself and checks the
 * path again); `upstreamBasePath` strips a sub-path install's prefix.
 */
export function proxyPathOfLink(
  link: JsonApiLink | string | undefined,
  options: { mountPath?: string; upstreamBasePath?: string; allowedPrefixes?: string[] } = {},
): string | null {
  const href = typeof link === "string" ? link : link?.href;
  if (href === undefined) return null;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  const origin = url.origin;
  const upstreamPath = upstreamPathOfLink(
    href,
    `${origin}${options.upstreamBasePath ?? ""}`,
    options.allowedPrefixes,
  );
  if (upstreamPath === null) return null;
  return `${(options.mountPath ?? "/api/upstream").replace(/\/+$/, "")}${upstreamPath}`;
}

/**
 * `page[offset]` of a pager link, for a page's own `?page=` cursor: a non-negative integer, or
 * null. The cursor is only ever an offset into a query the page builds itself.
 */
export function pageOffsetOfLink(link: JsonApiLink | string | undefined): number | null {
  const href = typeof link === "string" ? link : link?.href;
  if (href === undefined) return null;
  try {
    const value = new URL(href).searchParams.get("page[offset]");
    return value !== null && /^\d{1,9}$/.test(value) ? Number(value) : null;
  } catch {
    return null;
  }
}

/** A query string with JSON:API's bracketed names, e.g. `{ "page[limit]": 10 }`. */
export function jsonApiQuery(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) search.append(name, String(value));
  }
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}
