import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import {
  type ArticleDocument,
  articlePath,
  isArticleId,
  mayChange,
  toArticleView,
} from "../../../../../lib/articles";
import { bff } from "../../../../../lib/bff";
import { ArticleForm } from "../../article-form";
import { PermissionMessage } from "../../permission-message";

export const metadata: Metadata = { title: "Edit article" };
export const dynamic = "force-dynamic";

type Params = Promise<{ id: string }>;

export default async function EditArticlePage({ params }: { params: Params }) {
  const { id } = await params;
  if (!isArticleId(id)) notFound();
  const upstream = await bff.upstream(`/articles/${id}/edit`);
  const result = await upstream.get<ArticleDocument>(articlePath(id));
  if (!result.ok && result.problem.kind === "not_found") notFound();
  if (!result.ok && result.problem.kind === "forbidden") {
    return (
      <div className="stack">
        <h1>Edit article</h1>
        <PermissionMessage action="see this article" detail={result.problem.message} />
      </div>
    );
  }
  if (!result.ok || result.document === null) {
    throw new Error(result.ok ? "The article was empty." : result.problem.message);
  }
  const article = toArticleView(result.document.data, result.document);
  const { user } = upstream;

  return (
    <div className="stack">
      <p>
        <Link href={`/articles/${article.id}`}>← Back to the article</Link>
      </p>
      <h1>Edit article</h1>
      {!mayChange({ sub: user.sub, roles: user.roles }, article) ? (
        <p className="hint" data-testid="role-hint">
          Your roles do not include editing this article, so saving will probably be refused.
        </p>
      ) : null}
      <ArticleForm
        article={{
          id: article.id,
          title: article.title,
          body: article.body,
          bodyFormat: article.bodyFormat,
          published: article.published,
        }}
      />
    </div>
  );
}
