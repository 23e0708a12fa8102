"use client";

import { signIn } from "next-auth/react";
import { redirectTarget } from "next-token-bff/client";
import { type SubmitEvent, useState } from "react";

/** The sign-in form: next-auth's credentials callback (CSRF token included by `signIn`). */
export default function LoginPage() {
  const [error, setError] = useState<string | null>(null);
  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => {
      const value = form.get(name);
      return typeof value === "string" ? value : "";
    };
    const callbackUrl = redirectTarget(
      new URLSearchParams(window.location.search).get("callbackUrl"),
      window.location.origin,
    );
    const result = await signIn("credentials", {
      username: text("username"),
      password: text("password"),
      redirect: false,
    });
    if (result?.ok) window.location.assign(callbackUrl);
    else setError("Sign-in failed.");
  }
  return (
    <main>
      <h1>Sign in</h1>
      <form onSubmit={(event) => void submit(event)}>
        <input name="username" placeholder="Username" autoComplete="username" required />
        <input name="password" type="password" placeholder="Password" required />
        <button type="submit">Sign in</button>
      </form>
      {error && <p role="alert">{error}</p>}
    </main>
  );
}
