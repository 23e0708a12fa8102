import type { FastifyInstance } from "fastify";
import { jwtVerify } from "jose";
import { sha256 } from "../auth/hash.js";
import type { OAuthClient } from "../db/clients.js";
import type { Services } from "../services.js";
import { authenticateClient } from "./client-auth.js";
import { FORM_BODY_LIMIT, formParamsOf, rejectParametersInQuery } from "./form-body.js";
import { registerMethodNotAllowed } from "./method-not-allowed.js";
import { noStore, oauthErrors } from "./oauth-error.js";

type Lookup = "not_found" | "found";

/**
 * `POST /oauth/revoke` (RFC 7009, like contrib simple_oauth_revoke): the client authenticates,
 * names a token, and gets 200 with an empty body whether or not the token was known.
 * A refresh token takes its whole family with it (the access tokens of the same sign-in);
 * an access token is found by the hash of its `jti`. Tokens of other clients stay untouched.
 * `token_type_hint` only decides which kind is looked up first.
 */
export function registerRevokeRoute(app: FastifyInstance, services: Services): void {
  const { tokens, key } = services;

  async function revokeAccessToken(token: string, client: OAuthClient): Promise<Lookup> {
    if (token.split(".").length !== 3) return "not_found";
    let jti: unknown;
    try {
      ({
        payload: { jti },
      } = await jwtVerify(token, key.publicKey, { algorithms: ["RS256"] }));
    } catch {
      return "not_found"; // unverifiable, expired or not a JWT at all: nothing of ours
    }
    if (typeof jti !== "string") return "not_found";
    const row = tokens.find("access", sha256(jti));
    if (!row) return "not_found";
    if (row.client_id === client.clientId) tokens.revoke(row.id);
    return "found";
  }

  function revokeRefreshToken(token: string, client: OAuthClient): Lookup {
    const row = tokens.find("refresh", sha256(token));
    if (!row) return "not_found";
    if (row.client_id === client.clientId) tokens.revokeFamily(row.family);
    return "found";
  }

  app.post("/oauth/revoke", { bodyLimit: FORM_BODY_LIMIT }, async (request, reply) => {
    rejectParametersInQuery(request);
    const params = formParamsOf(request);
    const client = authenticateClient(request, params, services.clients, "revoke");
    const token = params.get("token");
    if (token === undefined) throw oauthErrors.invalidRequest("token");

    const refreshFirst = params.get("token_type_hint") === "refresh_token";
    const outcome = refreshFirst
      ? revokeRefreshToken(token, client) === "found"
        ? "found"
        : await revokeAccessToken(token, client)
      : (await revokeAccessToken(token, client)) === "found"
        ? "found"
        : revokeRefreshToken(token, client);
    request.log.info({ clientId: client.clientId, outcome }, "token revocation");
    return noStore(reply).code(200).send();
  });
  registerMethodNotAllowed(app, "/oauth/revoke", ["POST"]);
}
