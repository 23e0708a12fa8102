import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import type { ReactNode } from "react";
import { bff } from "../lib/bff";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Token BFF demo", template: "%s · Token BFF demo" },
  description: "Sign in against an external token API; the tokens stay on the server.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // proxy.ts puts a per-request CSP nonce on the request (`x-nonce`); reading the request
  // headers renders every page per request, so Next puts that nonce on its own scripts. An
  // inline script of ours would take `nonce={nonce}`; there is none.
  await headers();
  const state = await bff.getSession();
  const signedIn = state.status === "active";
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
            {signedIn ? <Link href="/articles">Articles</Link> : null}
            {signedIn ? <Link href="/account">Account</Link> : <Link href="/login">Sign in</Link>}
          </nav>
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
