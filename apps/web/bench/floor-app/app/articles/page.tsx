import type { Metadata } from "next";
import Link from "next/link";
import { omittedCount, pageOffsetOfLink } from "next-token-bff/client";
import {
  type ArticleListDocument,
  MAX_OFFSET,
  type Viewer,
  articleListPath,
  mayCreate,
  toArticleView,
} from "../../../../lib/articles";
import { ArticleList } from "../../../../app/(protected)/articles/article-list";
import { ArticleSearch } from "../../../../app/(protected)/articles/article-search";
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

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function offsetOf(value: string | undefined): number {
  if (value === undefined || !/^\d{1,9}$/.test(value)) return 0;
  return Math.min(Number(value), MAX_OFFSET);
}

const notices: Record<string, string> = { deleted: "The article was deleted." };

/** Only the upstream's own pager links, as apps/web's page (`upstream.linkPath`) keeps them. */
function offsetOfLink(document: ArticleListDocument, name: "next" | "prev"): number | null {
  const link = document.links?.[name];
  const href = typeof link === "string" ? link : link?.href;
  return href?.startsWith(`${upstreamUrl}/`) === true ? pageOffsetOfLink(link) : null;
}

export default async function FloorArticlesPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const offset = offsetOf(first(params.page));
  const notice = notices[first(params.notice) ?? ""];
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
    <div className="stack">
      <div className="page-head">
        <h1>Articles</h1>
        {mayCreate(viewer) ? (
          <Link className="button" href="/articles/new">
            New article
          </Link>
        ) : null}
      </div>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {mayCreate(viewer) ? null : (
        <p className="muted" data-testid="read-only-notice">
          {viewer.roles.length > 0
            ? `You are signed in as ${viewer.roles.join(", ")}: you can read articles but not write them.`
            : "Your account has no role that may write articles: you can read them only."}
        </p>
      )}
      <ArticleSearch viewer={viewer}>
        <section className="stack" aria-labelledby="all-articles">
          <h2 id="all-articles" className="visually-hidden">
            All articles
          </h2>
          <ArticleList articles={articles} viewer={viewer} />
          {hidden > 0 ? (
            <p className="muted">
              {hidden === 1
                ? "One article on this page is not shown because you may not see it."
                : `${hidden} articles on this page are not shown because you may not see them.`}
            </p>
          ) : null}
          {prev !== null || next !== null ? (
            <nav className="pager" aria-label="Pages">
              {prev !== null ? (
                <Link href={prev > 0 ? `/articles?page=${prev}` : "/articles"} rel="prev">
                  ← Newer articles
                </Link>
              ) : (
                <span />
              )}
              {next !== null ? (
                <Link href={`/articles?page=${next}`} rel="next">
                  Older articles →
                </Link>
              ) : null}
            </nav>
          ) : null}
        </section>
      </ArticleSearch>
    </div>
  );
}
