"use client";

import { SessionProvider, useSession } from "next-auth/react";
import { type ReactNode, useEffect } from "react";
import type { PublicSession } from "../session/public-session.js";
import { asPublicSession } from "./public-session-guard.js";

/** How long after the access token's expiry the session is read again. */
const REFETCH_DELAY_AFTER_EXPIRY_MS = 5_000;

/** Reads the session again shortly after the access token expires, so expiry times stay true. */
function RefetchAfterAccessTokenExpiry() {
  const { data, update } = useSession();
  const expiresAt = asPublicSession(data)?.accessTokenExpiresAt;
  useEffect(() => {
    if (expiresAt === undefined) return;
    const delay = Math.max(0, expiresAt - Date.now()) + REFETCH_DELAY_AFTER_EXPIRY_MS;
    // setTimeout's limit is 2^31-1 ms; later expiries are re-armed by the focus refetch.
    if (delay > 2 ** 31 - 1) return;
    const timer = setTimeout(() => void update(), delay);
    return () => clearTimeout(timer);
  }, [expiresAt, update]);
  return null;
}

/** Props of {@link BffSessionProvider}. */
export interface BffSessionProviderProps {
  /** The session the server already read (`null` when signed out), so the first render needs no request. Required. */
  session: PublicSession | null;
  /** The app tree that reads the session. Required. */
  children: ReactNode;
}

/**
 * next-auth's `SessionProvider`, set up for a BFF: refetch on window focus and shortly after
 * the access token's expiry. Cross-tab sign-out arrives through next-auth's own broadcast.
 */
export function BffSessionProvider({ session, children }: BffSessionProviderProps) {
  return (
    // PublicSession is next-auth's Session shape plus expiry times.
    <SessionProvider session={session} refetchOnWindowFocus>
      <RefetchAfterAccessTokenExpiry />
      {children}
    </SessionProvider>
  );
}
