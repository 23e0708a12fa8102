"use client";

import { type ReactNode, type SubmitEvent, useRef, useState } from "react";
import { proxyPathOfLink, upstreamFetch } from "next-token-bff/client";
import {
  type ArticleListDocument,
  type ArticleView,
  type StatusFilter,
  type Viewer,
  articleListPath,
  toArticleView,
} from "../../../lib/articles";
import { formText } from "../../../lib/form-fields";
import { ArticleList } from "./article-list";
import { PermissionMessage } from "./permission-message";

interface Results {
  articles: ArticleView[];
  /** The upstream's `links.next`, as a path under our proxy. */
  next: string | null;
  label: string;
}

/**
 * Title search and status filter, loaded by the browser through the proxy (`upstreamFetch`).
 * Without a search the server-rendered list (`children`) is shown.
 */
export function ArticleSearch({ viewer, children }: { viewer: Viewer; children: ReactNode }) {
  const [results, setResults] = useState<Results | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<{ forbidden: boolean; message: string } | null>(null);
  const request = useRef<AbortController | null>(null);

  async function load(path: string, label: string, append: boolean) {
    request.current?.abort();
    const controller = new AbortController();
    request.current = controller;
    setPending(true);
    setError(null);
    try {
      const result = await upstreamFetch<ArticleListDocument>(path, { signal: controller.signal });
      if (controller.signal.aborted) return;
      if (!result.ok || result.document === null) {
        if (!result.ok && result.problem.kind === "session_ended") return;
        setError({
          forbidden: !result.ok && result.problem.kind === "forbidden",
          message: result.ok ? "The search answered nothing." : result.problem.message,
        });
        return;
      }
      const document = result.document;
      const found = document.data.map((resource) => toArticleView(resource, document));
      setResults((previous) => ({
        articles: append && previous ? [...previous.articles, ...found] : found,
        next: proxyPathOfLink(document.links?.next),
        label,
      }));
    } catch {
      // aborted by a newer search
    } finally {
      if (request.current === controller) setPending(false);
    }
  }

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const title = formText(form, "q").trim();
    const statusValue = formText(form, "status", "all");
    const status: StatusFilter =
      statusValue === "published" || statusValue === "unpublished" ? statusValue : "all";
    if (title === "" && status === "all") {
      request.current?.abort();
      setResults(null);
      setError(null);
      setPending(false);
      return;
    }
    const label = [
      title !== "" ? `titles containing “${title}”` : null,
      status === "published" ? "published" : status === "unpublished" ? "not published" : null,
    ]
      .filter(Boolean)
      .join(", ");
    void load(articleListPath({ title, status }), label, false);
  }

  function onReset() {
    request.current?.abort();
    setResults(null);
    setError(null);
    setPending(false);
  }

  const count = results?.articles.length ?? 0;
  return (
    <div className="stack">
      <form className="search card" role="search" onSubmit={onSubmit} onReset={onReset}>
        <div className="field">
          <label htmlFor="article-search">Search titles</label>
          <input id="article-search" name="q" type="search" autoComplete="off" />
        </div>
        <div className="field status">
          <label htmlFor="article-status">Status</label>
          <select id="article-status" name="status" defaultValue="all">
            <option value="all">All</option>
            <option value="published">Published</option>
            <option value="unpublished">Not published</option>
          </select>
        </div>
        <div className="actions">
          <button className="button" type="submit" disabled={pending} aria-busy={pending}>
            Search
          </button>
          {results !== null || error !== null ? (
            <button className="button secondary" type="reset">
              Clear
            </button>
          ) : null}
        </div>
      </form>
      <p className="visually-hidden" role="status" aria-live="polite">
        {pending
          ? "Searching…"
          : results
            ? `${count} ${count === 1 ? "article" : "articles"} shown for ${results.label}.`
            : ""}
      </p>
      {error?.forbidden ? (
        <PermissionMessage action="search articles" detail={error.message} />
      ) : null}
      {error && !error.forbidden ? (
        <p className="alert" role="alert">
          {error.message}
        </p>
      ) : null}
      {results === null ? (
        children
      ) : (
        <section className="stack" aria-labelledby="search-results" data-testid="search-results">
          <h2 id="search-results">Articles with {results.label}</h2>
          <ArticleList articles={results.articles} viewer={viewer} />
          {results.next !== null ? (
            <p>
              <button
                className="button secondary"
                type="button"
                disabled={pending}
                onClick={() => results.next && void load(results.next, results.label, true)}
              >
                Show more
              </button>
            </p>
          ) : null}
        </section>
      )}
    </div>
  );
}
