import Link from "next/link";
import { type ArticleView, type Viewer, formatDate, mayChange } from "../../../lib/articles";

/** The list of articles, rendered by the server page and by the browser search alike. */
export function ArticleList({ articles, viewer }: { articles: ArticleView[]; viewer: Viewer }) {
  if (articles.length === 0) return <p className="muted">No articles found.</p>;
  return (
    <ul className="article-list" data-testid="article-list">
      {articles.map((article) => (
        <li key={article.id} className="article-row" data-testid="article-row">
          <div className="article-row-main">
            <h2 className="article-title">
              <Link href={`/articles/${article.id}`}>{article.title}</Link>
            </h2>
            <p className="article-meta">
              <span>By {article.author}</span>
              <span aria-hidden="true"> · </span>
              <time dateTime={article.created}>{formatDate(article.created)}</time>
              <span aria-hidden="true"> · </span>
              <StatusBadge published={article.published} />
            </p>
          </div>
          {mayChange(viewer, article) ? (
            <Link
              className="button secondary small"
              href={`/articles/${article.id}/edit`}
              aria-label={`Edit “${article.title}”`}
            >
              Edit
            </Link>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export function StatusBadge({ published }: { published: boolean }) {
  return (
    <span className={published ? "badge published" : "badge draft"}>
      {published ? "Published" : "Not published"}
    </span>
  );
}
