import Link from "next/link";

/**
 * Our own 404 page: Next's built-in one carries an inline <style> without the CSP nonce, which
 * the page's Content-Security-Policy blocks (catalogue E1).
 */
export default function NotFound() {
  return (
    <div className="stack">
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
      <p>
        <Link href="/">Back to the start page</Link>
      </p>
    </div>
  );
}
