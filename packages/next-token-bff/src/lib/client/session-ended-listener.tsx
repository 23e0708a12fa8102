"use client";

import { useEffect } from "react";
import { SESSION_CHANNEL, type SessionEndedMessage, loginUrlForReason } from "./upstream-fetch.js";

function isSessionEnded(value: unknown): value is SessionEndedMessage {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { type?: unknown }).type === "session-ended"
  );
}

/**
 * Listens for another tab of this origin learning that the session ended (`upstreamFetch` got
 * `session_expired`) and follows it to the sign-in page, with the reason and this tab's page
 * as `callbackUrl`. `SignedOutRedirect` covers the other ways a session ends (without a reason).
 */
export function SessionEndedListener({ loginPath = "/login" }: { loginPath?: string }) {
  useEffect(() => {
    if (typeof BroadcastChannel === "undefined") return;
    const channel = new BroadcastChannel(SESSION_CHANNEL);
    channel.onmessage = (event: MessageEvent<unknown>) => {
      if (!isSessionEnded(event.data)) return;
      const reason = event.data.reason === "expired" ? "expired" : null;
      window.location.replace(loginUrlForReason(reason, loginPath));
    };
    return () => channel.close();
  }, [loginPath]);
  return null;
}
