"use client";

import { useSession } from "next-auth/react";
import { useEffect } from "react";
import { loginPathFor } from "../redirect/callback-url.js";

/**
 * Sends this tab to the sign-in page once the session is gone (signed out in another tab,
 * expired, revoked), keeping where the person was as `callbackUrl`.
 */
export function SignedOutRedirect({ loginPath = "/login" }: { loginPath?: string }) {
  const { status } = useSession();
  useEffect(() => {
    if (status !== "unauthenticated") return;
    const { pathname, search } = window.location;
    window.location.replace(loginPathFor(`${pathname}${search}`, loginPath));
  }, [status, loginPath]);
  return null;
}
