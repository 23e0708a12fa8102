import type { Metadata } from "next";
import { omittedCount, pageOffsetOfLink } from "next-token-bff/client";
import {
  type ArticleListDocument,
  type Viewer,
  articleListPath,
  toArticleView,
} from "../../../../lib/articles";
import {
  ArticlesView,
  articlePageParams,
} from "../../../../app/(protected)/articles/articles-view";
import { PermissionMessage } from "../../../../app/(protected)/articles/permission-message";
import "../../../../app/(protected)/articles/articles.css";

/**
 * The bare app's page: apps/web's `/articles` (`app/(protected)/articles/page.tsx`) without the
 * BFF. The same upstream list query and the same components; the upstream is called with
 * Next's `fetch` and a fixed bearer the bench hands over (FLOOR_UPSTREAM_URL, FLOOR_BEARER), the
 * viewer is fixed too (FLOOR_VIEWER_SUB, FLOOR_VIEWER_ROLES). No session, no `proxy.ts`.
 */
export const metadata: Metadata = { title: "Articles" };
export const dynamic = "force-dynamic";

const upstreamUrl = process.env.FLOOR_UPSTREAM_URL ?? "http://127.0.0.1:1";
const authorization = `Bearer ${process.env.FLOOR_BEARER ?? ""}`;
const viewer: Viewer = {
  sub: process.env.FLOOR_VIEWER_SUB ?? "",
  roles: (process.env.FLOOR_VIEWER_ROLES ?? "").split(",").filter((role) => role !== ""),
};

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Only the upstream's own pager links, as apps/web's page (`upstream.linkPath`) keeps them. */
function offsetOfLink(document: ArticleListDocument, name: "next" | "prev"): number | null {
  const link = document.links?.[name];
  const href = typeof link === "string" ? link : link?.href;
  return href?.startsWith(`${upstreamUrl}/`) === true ? pageOffsetOfLink(link) : null;
}

export default async function FloorArticlesPage({ searchParams }: { searchParams: SearchParams }) {
  const { offset, notice } = articlePageParams(await searchParams);
  const response = await fetch(`${upstreamUrl}${articleListPath({ offset })}`, {
    headers: { authorization, accept: "application/vnd.api+json" },
    cache: "no-store",
  });
  if (response.status === 403) {
    return (
      <div className="stack">
        <h1>Articles</h1>
        <PermissionMessage action="see articles" />
      </div>
    );
  }
  if (!response.ok) throw new Error(`The upstream answered ${response.status}.`);
  const document = (await response.json()) as ArticleListDocument;
  const articles = document.data.map((resource) => toArticleView(resource, document));
  const next = offsetOfLink(document, "next");
  const prev = offset > 0 ? (offsetOfLink(document, "prev") ?? 0) : null;
  const hidden = omittedCount(document);

  return (
    <ArticlesView
      viewer={viewer}
      articles={articles}
      notice={notice}
      hidden={hidden}
      prev={prev}
      next={next}
    />
  );
}
