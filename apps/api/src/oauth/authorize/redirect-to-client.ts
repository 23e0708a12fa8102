import type { FastifyReply } from "fastify";
import { withResponseParams } from "../redirect-uri.js";
import type { RedirectTarget } from "./authorization-request.js";
import type { PageContext } from "./page-context.js";
import { seeOther } from "./page-responses.js";

/** Back to the client (303), with `state` and `iss` (RFC 9207) added to `params`. */
export function redirectToClient(
  { services, security }: PageContext,
  reply: FastifyReply,
  target: RedirectTarget,
  params: Record<string, string>,
  endSession: boolean,
): FastifyReply {
  const location = withResponseParams(target.redirectUri, {
    ...params,
    state: target.state,
    iss: services.config.issuer,
  });
  return seeOther(reply, location, endSession ? [security.clearSessionCookie()] : []);
}
