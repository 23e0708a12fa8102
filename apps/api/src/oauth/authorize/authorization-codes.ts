import { randomBytes, randomUUID } from "node:crypto";
import { sha256 } from "../../auth/hash.js";
import { nowSeconds } from "../../db/database.js";
import type { Services } from "../../services.js";
import type { AuthorizationRequest } from "./authorization-request.js";
import type { PageSession } from "./page-security.js";

/** Authorization codes live 60 seconds (RFC 6749 §4.1.2 recommends at most 10 minutes). */
export const CODE_TTL = 60;
/** Used codes are kept this long after they expire, so a late replay still revokes. */
const USED_CODE_RETENTION = 86_400;

/** Stores a new code (only its hash) for the request and the session's user; returns the code. */
export function issueCode(
  services: Services,
  authorization: AuthorizationRequest,
  session: PageSession,
): string {
  const code = randomBytes(32).toString("base64url");
  const now = nowSeconds();
  services.codes.insert({
    codeHash: sha256(code),
    clientId: authorization.client.clientId,
    uid: session.uid,
    redirectUri: authorization.redirectUri,
    scopes: authorization.scopes.map((scope) => scope.name),
    codeChallenge: authorization.codeChallenge,
    nonce: authorization.nonce,
    authTime: session.authTime,
    family: randomUUID(),
    expires: now + CODE_TTL,
  });
  services.codes.purgeExpired(now - USED_CODE_RETENTION);
  return code;
}
