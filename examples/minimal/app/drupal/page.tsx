import { type DrupalNode, NextDrupal } from "next-drupal";
import { bff } from "../../lib/bff";

export const dynamic = "force-dynamic";

let drupal: NextDrupal | undefined;

/** One shared next-drupal client, without credentials of its own. */
function drupalClient(): NextDrupal {
  return (drupal ??= new NextDrupal(bff.config.upstream.baseUrl));
}

/**
 * Reading through next-drupal: each call carries the current session's token (`withAuth`),
 * refreshed first when it has expired; the client never stores it and the browser never sees it.
 */
export default async function DrupalArticlesPage() {
  const articles = await drupalClient().getResourceCollection<DrupalNode[]>("node--article", {
    withAuth: await bff.withAuth("/drupal"),
    cache: "no-store",
  });
  return (
    <main>
      <h1>Articles through next-drupal</h1>
      <ul>
        {articles.map((article) => (
          <li key={article.id}>{article.title}</li>
        ))}
      </ul>
    </main>
  );
}
