"use client";

import Link from "next/link";
import { useEffect, useRef } from "react";

/**
 * What every articles page shows when loading failed (the upstream unreachable, an unexpected
 * answer). The session is kept; "Try again" renders the page again.
 */
export function ArticlesError({
  title,
  error,
  reset,
}: {
  title: string;
  error: Error & { digest?: string };
  reset: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
    console.error(error);
  }, [error]);
  return (
    <div className="stack" role="alert">
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      <p>
        Something went wrong while loading this page. You are still signed in; the content service
        may be busy or unreachable.
      </p>
      {error.digest ? <p className="muted">Reference: {error.digest}</p> : null}
      <p className="actions">
        <button className="button" type="button" onClick={() => reset()}>
          Try again
        </button>
        <Link className="button secondary" href="/articles">
          All articles
        </Link>
      </p>
    </div>
  );
}

/** The placeholder while a page loads. */
export function ArticlesLoading({ label, rows = 4 }: { label: string; rows?: number }) {
  return (
    <div className="stack" aria-busy="true">
      <p role="status" className="muted">
        {label}
      </p>
      <div className="card stack" aria-hidden="true">
        {Array.from({ length: rows }, (_, index) => (
          <div key={index} className="skeleton" style={{ width: `${90 - index * 12}%` }} />
        ))}
      </div>
    </div>
  );
}
