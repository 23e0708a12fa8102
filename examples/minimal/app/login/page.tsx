"use client";

import { signIn } from "next-auth/react";
import { redirectTarget } from "next-token-bff/client";
import { type FormEvent, useState } from "react";

/** The sign-in form: next-auth's credentials callback (CSRF token included by `signIn`). */
export default function LoginPage() {
  const [error, setError] = useState<string | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const callbackUrl = redirectTarget(
      new URLSearchParams(window.location.search).get("callbackUrl"),
      window.location.origin,
    );
    const result = await signIn("credentials", {
      username: String(form.get("username")),
      password: String(form.get("password")),
      redirect: false,
    });
    if (result?.ok) window.location.assign(callbackUrl);
    else setError("Sign-in failed.");
  }
  return (
    <main>
      <h1>Sign in</h1>
      <form onSubmit={submit}>
        <input name="username" placeholder="Username" autoComplete="username" required />
        <input name="password" type="password" placeholder="Password" required />
        <button type="submit">Sign in</button>
      </form>
      {error && <p role="alert">{error}</p>}
    </main>
  );
}
