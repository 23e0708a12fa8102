import type { Metadata } from "next";
import { omittedCount, pageOffsetOfLink } from "next-token-bff/client";
import {
  type ArticleListDocument,
  type Viewer,
  articleListPath,
  toArticleView,
} from "../../../lib/articles";
import { bff } from "../../../lib/bff";
import { ArticlesView, articlePageParams } from "./articles-view";
import { PermissionMessage } from "./permission-message";

export const metadata: Metadata = { title: "Articles" };
export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ArticlesPage({ searchParams }: { searchParams: SearchParams }) {
  const { offset, notice } = articlePageParams(await searchParams);
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
