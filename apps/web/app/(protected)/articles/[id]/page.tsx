import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import {
  type ArticleDocument,
  articlePath,
  formatDate,
  isArticleId,
  mayChange,
  toArticleView,
} from "../../../../lib/articles";
import { bff } from "../../../../lib/bff";
import { StatusBadge } from "../article-list";
import { PermissionMessage } from "../permission-message";
import { DeleteArticle } from "./delete-article";

export const metadata: Metadata = { title: "Article" };
export const dynamic = "force-dynamic";

type Params = Promise<{ id: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const notices: Record<string, string> = {
  created: "The article was created.",
  saved: "Your changes were saved.",
};

export default async function ArticlePage({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: SearchParams;
}) {
  const { id } = await params;
  if (!isArticleId(id)) notFound();
  const query = await searchParams;
  const noticeKey = Array.isArray(query.notice) ? query.notice[0] : query.notice;
  const notice = notices[noticeKey ?? ""];

  const upstream = await bff.upstream(`/articles/${id}`);
  const result = await upstream.get<ArticleDocument>(articlePath(id));
  if (!result.ok && result.problem.kind === "not_found") notFound();
  if (!result.ok && result.problem.kind === "forbidden") {
    return (
      <div className="stack">
        <h1>Article</h1>
        <PermissionMessage action="see this article" detail={result.problem.message} />
        <p>
          <Link href="/articles">All articles</Link>
        </p>
      </div>
    );
  }
  if (!result.ok || result.document === null) {
    throw new Error(result.ok ? "The article was empty." : result.problem.message);
  }
  const article = toArticleView(result.document.data, result.document);
  const { user } = upstream;
  const canChange = mayChange({ sub: user.sub, roles: user.roles }, article);

  return (
    <article className="stack">
      <p>
        <Link href="/articles">← All articles</Link>
      </p>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <header className="stack">
        <h1 data-testid="article-heading">{article.title}</h1>
        <p className="article-meta">
          <span>By {article.author}</span>
          <span aria-hidden="true"> · </span>
          <time dateTime={article.created}>{formatDate(article.created)}</time>
          <span aria-hidden="true"> · </span>
          <StatusBadge published={article.published} />
        </p>
      </header>
      <div className="card article-body">
        {article.bodyText !== "" ? article.bodyText : <span className="muted">No text.</span>}
      </div>
      {canChange ? (
        <div className="actions">
          <Link className="button secondary" href={`/articles/${article.id}/edit`}>
            Edit
          </Link>
          <DeleteArticle id={article.id} title={article.title} />
        </div>
      ) : null}
    </article>
  );
}
