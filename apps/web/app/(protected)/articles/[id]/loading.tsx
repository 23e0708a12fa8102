import { ArticlesLoading } from "../articles-error";

export default function Loading() {
  return <ArticlesLoading label="Loading the article…" />;
}
