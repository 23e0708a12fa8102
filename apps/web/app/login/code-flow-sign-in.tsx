"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { messageFor } from "./login-form";

/**
 * "Sign in with <provider>": next-auth's OAuth sign-in (authorization code + PKCE at the
 * upstream), back to the same checked `callbackUrl` as the password form. When the form is not
 * shown, this also shows why an earlier attempt failed.
 */
export function CodeFlowSignIn({
  providerName,
  callbackUrl,
  initialError,
}: {
  providerName: string;
  callbackUrl: string;
  initialError: string | null;
}) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(messageFor(initialError));

  async function onClick() {
    setPending(true);
    setError(null);
    try {
      // Navigates to the upstream's authorization endpoint; only returns on a failure.
      await signIn("upstream", { callbackUrl });
    } catch {
      setError(messageFor("upstream_unavailable"));
      setPending(false);
    }
  }

  return (
    <div className="stack">
      {error ? (
        <p id="code-flow-error" className="alert" role="alert">
          {error}
        </p>
      ) : null}
      <button
        className="button secondary full-width"
        type="button"
        onClick={() => void onClick()}
        disabled={pending}
        aria-busy={pending}
        data-testid="code-flow-sign-in"
      >
        {pending ? "Redirecting…" : `Sign in with ${providerName}`}
      </button>
    </div>
  );
}
