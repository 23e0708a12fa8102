"use client";

import { useState } from "react";

interface Result {
  index: number;
  status: number | "failed";
  articles: number | null;
}

/** Fires `count` proxied requests at the same moment and lists what each one got. */
export function ParallelCheck({ count }: { count: number }) {
  const [results, setResults] = useState<Result[] | null>(null);
  const [running, setRunning] = useState(false);

  async function run() {
    setRunning(true);
    setResults(null);
    const calls = Array.from({ length: count }, async (_, index): Promise<Result> => {
      try {
        const response = await fetch(
          `/api/upstream/jsonapi/node/article?page[limit]=1&page[offset]=${index}`,
          { headers: { "X-CSRF": "1", accept: "application/vnd.api+json" }, cache: "no-store" },
        );
        const body = (await response.json().catch(() => null)) as { data?: unknown[] } | null;
        return {
          index,
          status: response.status,
          articles: Array.isArray(body?.data) ? body.data.length : null,
        };
      } catch {
        return { index, status: "failed", articles: null };
      }
    });
    setResults(await Promise.all(calls));
    setRunning(false);
  }

  return (
    <div className="stack">
      <p className="actions">
        <button className="button" type="button" onClick={() => void run()} disabled={running}>
          Send {count} requests at once
        </button>
      </p>
      {results && (
        <ol data-testid="parallel-results">
          {results.map((result) => (
            <li key={result.index} data-status={result.status}>
              Request {result.index + 1}: {result.status}
              {result.articles !== null ? ` (${result.articles} article)` : ""}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
