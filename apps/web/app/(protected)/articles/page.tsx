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
} from "../../../lib/articles";
import { bff } from "../../../lib/bff";
import { ArticleList } from "./article-list";
import { ArticleSearch } from "./article-search";
import { PermissionMessage } from "./permission-message";

export const metadata: Metadata = { title: "Articles" };
export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** `?page=` is only ever an offset into the query this page builds (never an upstream URL). */
function offsetOf(value: string | undefined): number {
  if (value === undefined || !/^\d{1,9}$/.test(value)) return 0;
  return Math.min(Number(value), MAX_OFFSET);
}

const notices: Record<string, string> = { deleted: "The article was deleted." };

export default async function ArticlesPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const offset = offsetOf(first(params.page));
  const notice = notices[first(params.notice) ?? ""];
  const callbackPath = offset > 0 ? `/articles?page=${offset}` : "/articles";
  const upstream = await bff.upstream(callbackPath);
  const { user } = upstream;
  const viewer: Viewer = { sub: user.sub, roles: user.roles };

  const result = await upstream.get<ArticleListDocument>(articleListPath({ offset }));
  if (!result.ok && result.problem.kind === "forbidden") {
    return (
      <div className="stack">
        <h1>Articles</h1>
        <PermissionMessage action="see articles" detail={result.problem.message} />
      </div>
    );
  }
  if (!result.ok || result.document === null) {
    throw new Error(result.ok ? "The article list was empty." : result.problem.message);
  }
  const document = result.document;
  const articles = document.data.map((resource) => toArticleView(resource, document));
  // Follow the upstream's own pager links, but only links to our upstream; keep just the offset.
  const pageLink = (name: "next" | "prev") => {
    const link = document.links?.[name];
    return upstream.linkPath(link) === null ? null : pageOffsetOfLink(link);
  };
  const next = pageLink("next");
  const prev = offset > 0 ? (pageLink("prev") ?? 0) : null;
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
