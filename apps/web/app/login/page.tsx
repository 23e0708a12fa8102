import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getServerSessionState, safeCallbackPath } from "next-token-bff/server";
import { getBff } from "../../lib/bff";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackPath = safeCallbackPath(first(params.callbackUrl));
  const state = await getServerSessionState(getBff);
  if (state.status === "active") redirect(callbackPath);

  return (
    <div className="narrow card stack">
      <h1>Sign in</h1>
      {first(params.reason) === "expired" ? (
        <p className="alert" role="status" data-testid="session-ended">
          Your session ended, please sign in again.
        </p>
      ) : null}
      <LoginForm callbackPath={callbackPath} initialError={first(params.error) ?? null} />
    </div>
  );
}
