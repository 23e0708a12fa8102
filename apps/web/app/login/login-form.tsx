"use client";

import { signIn } from "next-auth/react";
import { type SubmitEvent, useRef, useState } from "react";
import { describeError, parseSignInErrorParam } from "next-token-bff/errors";
import { formText } from "../../lib/form-fields";

/** next-auth's own error for a CSRF, setup or OAuth callback failure, shown as a generic retry. */
export function messageFor(errorParam: string | null): string | null {
  if (errorParam === null) return null;
  const parsed = parseSignInErrorParam(errorParam);
  if (parsed) return describeError(parsed.code, parsed.retryAfterSeconds);
  return "Sign-in did not work. Please try again.";
}

export function LoginForm({
  callbackUrl,
  initialError,
  identifierLabel = "Username",
}: {
  /** Where to go once signed in: an absolute URL on the app's origin (`redirectTarget`). */
  callbackUrl: string;
  initialError: string | null;
  /** The first field's label (`SIGN_IN_IDENTIFIER_LABEL`, e.g. "Email"). Default: "Username". */
  identifierLabel?: string;
}) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(messageFor(initialError));
  const passwordRef = useRef<HTMLInputElement>(null);

  async function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const result = await signIn("credentials", {
        username: formText(form, "username"),
        password: formText(form, "password"),
        redirect: false,
      });
      if (!result || result.error || !result.ok) {
        setError(messageFor(result?.error ?? "upstream_unavailable"));
        setPending(false);
        if (passwordRef.current) {
          passwordRef.current.value = "";
          passwordRef.current.focus();
        }
        return;
      }
      // A full navigation, so the server renders the next page with the new cookie.
      window.location.assign(callbackUrl);
    } catch {
      setError(messageFor("upstream_unavailable"));
      setPending(false);
    }
  }

  return (
    <form
      className="stack"
      onSubmit={(event) => void onSubmit(event)}
      aria-describedby={error ? "login-error" : undefined}
    >
      <div role="alert" aria-live="assertive">
        {error ? (
          <p id="login-error" className="alert">
            {error}
          </p>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor="username">{identifierLabel}</label>
        <input
          id="username"
          name="username"
          type="text"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          autoFocus
        />
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input
          ref={passwordRef}
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
        />
      </div>
      <button className="button full-width" type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
