"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";

/** Sign out here, or everywhere (every session of this person at this app, and upstream). */
export function SignOutButtons({ upstreamRevokesAll }: { upstreamRevokesAll: boolean }) {
  const [pending, setPending] = useState<"here" | "everywhere" | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function signOutHere() {
    setPending("here");
    await signOut({ callbackUrl: "/login" });
  }

  async function signOutEverywhere() {
    setPending("everywhere");
    setError(null);
    const response = await fetch("/api/session/end-all", {
      method: "POST",
      headers: { "X-CSRF": "1" },
    });
    if (!response.ok && response.status !== 401) {
      setError("Signing out everywhere did not work. Please try again.");
      setPending(null);
      return;
    }
    await signOut({ callbackUrl: "/login" });
  }

  return (
    <div className="stack">
      <p className="muted">
        {upstreamRevokesAll
          ? "“Everywhere” ends your sessions on every device and revokes all your tokens at the sign-in service."
          : "“Everywhere” ends your sessions in this app on every device; the sign-in service can only revoke this session's tokens."}
      </p>
      {error ? (
        <p className="alert" role="alert">
          {error}
        </p>
      ) : null}
      <div className="actions">
        <button
          className="button"
          type="button"
          onClick={() => void signOutHere()}
          disabled={pending !== null}
        >
          {pending === "here" ? "Signing out…" : "Sign out"}
        </button>
        <button
          className="button danger"
          type="button"
          onClick={() => void signOutEverywhere()}
          disabled={pending !== null}
        >
          {pending === "everywhere" ? "Signing out everywhere…" : "Sign out everywhere"}
        </button>
      </div>
    </div>
  );
}
