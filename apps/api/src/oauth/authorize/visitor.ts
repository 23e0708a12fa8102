import type { FastifyRequest } from "fastify";
import type { UserWithHash } from "../../db/users.js";
import type { PageContext } from "./page-context.js";
import type { PageSecurity, PageSession } from "./page-security.js";

/** The CSRF cookie value of the request, or a new one (with the Set-Cookie to send). */
export function csrfFor(
  security: PageSecurity,
  request: FastifyRequest,
): { value: string; cookies: string[] } {
  const existing = security.csrfFromRequest(request.headers.cookie);
  if (existing !== undefined) return { value: existing, cookies: [] };
  const value = security.newCsrfValue();
  return { value, cookies: [security.csrfCookie(value)] };
}

/** The signed-in user, while the session is valid and the account unchanged and active. */
export function currentSession(
  { security, services }: PageContext,
  request: FastifyRequest,
): { session: PageSession; user: UserWithHash } | undefined {
  const session = security.sessionFromRequest(request.headers.cookie);
  if (!session) return undefined;
  const user = services.users.findByUid(session.uid);
  if (!user || !user.status || user.changed !== session.changed) return undefined;
  return { session, user };
}
