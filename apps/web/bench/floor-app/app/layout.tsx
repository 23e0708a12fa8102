import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import "../../../app/globals.css";

export const metadata: Metadata = {
  title: { default: "Token BFF demo", template: "%s · Token BFF demo" },
  description: "Sign in against an external token API; the tokens stay on the server.",
};

/**
 * apps/web's root layout (`app/layout.tsx`) as a signed-in visitor sees it, minus what is ours:
 * no session read, no request headers (no CSP nonce).
 */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <nav aria-label="Main">
            <Link className="brand" href="/">
              Token BFF demo
            </Link>
            <Link href="/articles">Articles</Link>
            <Link href="/account">Account</Link>
          </nav>
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
