import type { Metadata } from "next";
import { bff } from "../../../lib/bff";
import { SessionTimes } from "./session-times";
import { SignOutButtons } from "./sign-out-buttons";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const { session } = await bff.requireSession("/account");
  const { user } = session;
  return (
    <div className="stack">
      <h1>Your account</h1>
      <div className="grid">
        <section className="card stack" aria-labelledby="who">
          <h2 id="who">Signed in as</h2>
          <dl className="details">
            <dt>Name</dt>
            <dd data-testid="user-name">{user.name}</dd>
            <dt>Username</dt>
            <dd data-testid="user-username">{user.username}</dd>
            <dt>Email</dt>
            <dd>{user.email ?? "—"}</dd>
            <dt>Roles</dt>
            <dd>
              {user.roles.length > 0 ? (
                <ul className="roles" data-testid="user-roles">
                  {user.roles.map((role) => (
                    <li key={role}>{role}</li>
                  ))}
                </ul>
              ) : (
                "none"
              )}
            </dd>
          </dl>
        </section>
        <section className="card stack" aria-labelledby="session">
          <h2 id="session">Session</h2>
          <SessionTimes initial={session} />
        </section>
      </div>
      <section className="card stack" aria-labelledby="sign-out">
        <h2 id="sign-out">Sign out</h2>
        <SignOutButtons upstreamRevokesAll={bff.provider.revokeAll !== undefined} />
      </section>
    </div>
  );
}
