"use client";

import { ArticlesError } from "../articles-error";

export default function ErrorPage(props: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <ArticlesError title="This article could not be loaded" {...props} />;
}
