"use client";

import { ArticlesError } from "../articles-error";

export default function ErrorPage(props: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <ArticlesError title="The form could not be loaded" {...props} />;
}
