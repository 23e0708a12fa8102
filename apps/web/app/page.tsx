import Link from "next/link";

export default function LandingPage() {
  return (
    <div className="stack">
      <h1>Next.js in front of a token API</h1>
      <p>
        This app signs you in with a username and password that an external API checks (a Drupal
        site with simple_oauth, or any OAuth 2.0 password-grant server). The API&apos;s access and
        refresh tokens stay on this server, inside an encrypted cookie your browser&apos;s scripts
        cannot read.
      </p>
      <p className="actions">
        <Link className="button" href="/login?callbackUrl=%2Faccount">
          Sign in
        </Link>
        <Link className="button secondary" href="/articles">
          Articles
        </Link>
        <Link className="button secondary" href="/account">
          Your account
        </Link>
      </p>
    </div>
  );
}
