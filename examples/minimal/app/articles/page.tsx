import type { JsonApiDocument } from "next-token-bff/client";
import { bff } from "../../lib/bff";

type Article = { id: string; attributes: { title: string } };

export const dynamic = "force-dynamic";

/** A protected page: the upstream call carries the session's bearer token, server-side only. */
export default async function ArticlesPage() {
  const upstream = await bff.upstream("/articles");
  const result = await upstream.get<JsonApiDocument<Article[]>>("/jsonapi/node/article");
  if (!result.ok) return <p role="alert">{result.problem.message}</p>;
  return (
    <main>
      <h1>Articles</h1>
      <ul>
        {(result.document?.data ?? []).map((article) => (
          <li key={article.id}>{article.attributes.title}</li>
        ))}
      </ul>
      <a href="/api/auth/signout">Sign out</a>
    </main>
  );
}
