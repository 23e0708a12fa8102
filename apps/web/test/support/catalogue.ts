import { sessionCookieHeader, signInOverHttp } from "../security/http-signin";
import { demoUsers, testServers } from "./context";

/**
 * Shared by the web security catalogue files (`security/catalogue-*.test.ts`): the session
 * cookie's name, bob's session over plain HTTP and a look at `/api/me`.
 */

export const COOKIE = "next-auth.session-token"; // NEXTAUTH_URL is http here: no __Host- prefix

/** bob signed in over HTTP, as a script would: the Cookie header of his session. */
export async function signInBob(): Promise<string> {
  const { webUrl } = testServers();
  return sessionCookieHeader(
    await signInOverHttp(webUrl, demoUsers.bob.username, demoUsers.bob.password),
  );
}

export async function me(cookie: string, headers: Record<string, string> = {}) {
  const { webUrl } = testServers();
  const response = await fetch(`${webUrl}/api/me`, { headers: { cookie, ...headers } });
  return { status: response.status, text: await response.text() };
}
