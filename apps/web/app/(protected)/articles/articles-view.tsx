import Link from "next/link";
import { MAX_OFFSET, type ArticleView, type Viewer, mayCreate } from "../../../lib/articles";
import { ArticleList } from "./article-list";
import { ArticleSearch } from "./article-search";

type SearchParams = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const notices: Record<string, string> = { deleted: "The article was deleted." };

/**
 * What the list page reads from its URL. `?page=` is only ever an offset into the query the
 * page builds (never an upstream URL); `?notice=` picks one of a few fixed sentences.
 */
export function articlePageParams(params: SearchParams): { offset: number; notice?: string } {
  const page = first(params.page);
  const offset =
    page === undefined || !/^\d{1,9}$/.test(page) ? 0 : Math.min(Number(page), MAX_OFFSET);
  return { offset, notice: notices[first(params.notice) ?? ""] };
}

/** The article list page once its data is read: heading, notices, search, list and pager. */
export function ArticlesView(props: {
  viewer: Viewer;
  articles: ArticleView[];
  notice: string | undefined;
  /** Articles on this page the viewer may not see. */
  hidden: number;
  /** The pager's offsets; null where there is no such page. */
  prev: number | null;
  next: number | null;
}) {
  const { viewer, articles, notice, hidden, prev, next } = props;
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
