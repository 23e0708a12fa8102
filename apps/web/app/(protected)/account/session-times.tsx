"use client";

import { useSession } from "next-auth/react";
import {
  type PublicSession,
  asPublicSession,
  formatDuration,
  useSecondsUntil,
} from "next-token-bff/client";

function Countdown({ to, label, testId }: { to: number; label: string; testId: string }) {
  const seconds = useSecondsUntil(to);
  return (
    <>
      <dt>{label}</dt>
      <dd>
        {/* Server and browser clocks and time zones differ: the browser's values win. */}
        <span data-testid={testId} suppressHydrationWarning>
          {seconds > 0 ? `in ${formatDuration(seconds)}` : "expired"}
        </span>{" "}
        <span className="muted" suppressHydrationWarning>
          ({new Date(to).toLocaleTimeString()})
        </span>
      </dd>
    </>
  );
}

/** Live countdowns from expiry times only; the tokens never leave the server. */
export function SessionTimes({ initial }: { initial: PublicSession }) {
  const { data } = useSession();
  const session = asPublicSession(data) ?? initial;
  return (
    <dl className="details">
      <Countdown to={session.sessionExpiresAt} label="Session ends" testId="session-expiry" />
      <Countdown
        to={session.accessTokenExpiresAt}
        label="Access token expires"
        testId="access-token-expiry"
      />
    </dl>
  );
}
