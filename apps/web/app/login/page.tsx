import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { redirectTarget } from "next-token-bff/client";
import { bff } from "../../lib/bff";
import { CodeFlowSignIn } from "./code-flow-sign-in";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const { signInMethods, upstream, nextAuthUrl, signInIdentifierLabel } = bff.config;
  const callbackUrl = redirectTarget(first(params.callbackUrl), nextAuthUrl);
  const state = await bff.getSession();
  if (state.status === "active") redirect(callbackUrl);
  const withForm = signInMethods.includes("password");
  const error = first(params.error) ?? null;

  return (
    <div className="narrow card stack">
      <h1>Sign in</h1>
      {first(params.reason) === "expired" ? (
        <p className="alert" role="status" data-testid="session-ended">
          Your session ended, please sign in again.
        </p>
      ) : null}
      {withForm ? (
        <LoginForm
          callbackUrl={callbackUrl}
          initialError={error}
          identifierLabel={signInIdentifierLabel}
        />
      ) : null}
      {withForm && signInMethods.includes("code") ? (
        <p className="muted" aria-hidden="true">
          or
        </p>
      ) : null}
      {signInMethods.includes("code") ? (
        <CodeFlowSignIn
          providerName={upstream.name}
          callbackUrl={callbackUrl}
          initialError={withForm ? null : error}
        />
      ) : null}
    </div>
  );
}
