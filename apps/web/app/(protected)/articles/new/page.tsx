import type { Metadata } from "next";
import Link from "next/link";
import { mayCreate } from "../../../../lib/articles";
import { bff } from "../../../../lib/bff";
import { ArticleForm } from "../article-form";

export const metadata: Metadata = { title: "New article" };
export const dynamic = "force-dynamic";

export default async function NewArticlePage() {
  const { claims } = await bff.requireSession("/articles/new");
  const { user } = claims;
  return (
    <div className="stack">
      <p>
        <Link href="/articles">← All articles</Link>
      </p>
      <h1>New article</h1>
      {/* Nothing links here without the role; the upstream decides what happens on save. */}
      {!mayCreate({ sub: user.sub, roles: user.roles }) ? (
        <p className="hint" data-testid="role-hint">
          Your roles do not include writing articles, so saving will probably be refused.
        </p>
      ) : null}
      <ArticleForm />
    </div>
  );
}
