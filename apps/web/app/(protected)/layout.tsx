import type { ReactNode } from "react";
import { BffSessionProvider, SessionEndedListener, SignedOutRedirect } from "next-token-bff/client";
import { bff } from "../../lib/bff";

/**
 * Everything in this group needs a session. The layout checks it on the server; each page
 * checks again (layouts do not re-run on every client navigation).
 */
export default async function ProtectedLayout({ children }: { children: ReactNode }) {
  // A layout does not know the page's path; `proxy.ts` and each page redirect with the exact
  // `callbackUrl`, this check is the fallback when neither ran first.
  const { session } = await bff.requireSession("/");
  return (
    <BffSessionProvider session={session}>
      <SignedOutRedirect />
      <SessionEndedListener />
      {children}
    </BffSessionProvider>
  );
}
