import type { FastifyInstance } from "fastify";
import { grantTypes } from "../db/clients.js";
import type { Services } from "../services.js";
import { registerMethodNotAllowed } from "./method-not-allowed.js";
import { OAUTH_JSON } from "./oauth-error.js";

export const DISCOVERY_PATH = "/.well-known/openid-configuration";

/**
 * `GET /.well-known/openid-configuration` (OpenID Connect Discovery 1.0). Every URL derives from
 * the configured issuer, so it is right behind a proxy too; `scopes_supported` lists the
 * scopes in the database. (simple_oauth itself has no discovery; in 5.x mode the document
 * names no revocation endpoint, since there is none.)
 */
export function registerDiscoveryRoute(app: FastifyInstance, services: Services): void {
  const { issuer } = services.config;
  const endpoint = (path: string) => `${issuer}${path}`;
  const clientAuthMethods = ["client_secret_post", "client_secret_basic"];
  const revocation =
    services.config.compat === 6
      ? {
          revocation_endpoint: endpoint("oauth/revoke"),
          revocation_endpoint_auth_methods_supported: clientAuthMethods,
        }
      : {};

  app.get(DISCOVERY_PATH, async (_request, reply) =>
    reply
      .type(OAUTH_JSON)
      .header("cache-control", "public, max-age=300")
      .send({
        issuer,
        authorization_endpoint: endpoint("oauth/authorize"),
        token_endpoint: endpoint("oauth/token"),
        userinfo_endpoint: endpoint("oauth/userinfo"),
        jwks_uri: endpoint("oauth/jwks"),
        ...revocation,
        response_types_supported: ["code"],
        response_modes_supported: ["query"],
        grant_types_supported: [...grantTypes],
        code_challenge_methods_supported: ["S256"],
        id_token_signing_alg_values_supported: ["RS256"],
        scopes_supported: services.scopes.all().map((scope) => scope.name),
        token_endpoint_auth_methods_supported: clientAuthMethods,
        subject_types_supported: ["public"],
        claims_supported: [
          "iss",
          "sub",
          "aud",
          "exp",
          "iat",
          "auth_time",
          "nonce",
          "name",
          "preferred_username",
          "email",
          "email_verified",
        ],
        prompt_values_supported: ["none", "login", "consent"],
        authorization_response_iss_parameter_supported: true,
        request_parameter_supported: false,
        request_uri_parameter_supported: false,
        claims_parameter_supported: false,
      }),
  );
  registerMethodNotAllowed(app, DISCOVERY_PATH, ["GET"]);
}
