import type { FastifyInstance } from "fastify";
import type { TokenResponse } from "../auth/token-issuer.js";
import type { GrantType } from "../db/clients.js";
import { grantTypes } from "../db/clients.js";
import type { Services } from "../services.js";
import { authenticateClient } from "./client-auth.js";
import { wireClientId } from "./compat.js";
import type { FormParams } from "./form-body.js";
import { FORM_BODY_LIMIT, formParamsOf, rejectParametersInQuery } from "./form-body.js";
import type { Grant } from "./grants/grant.js";
import { authorizationCodeGrant } from "./grants/authorization-code.js";
import { clientCredentialsGrant } from "./grants/client-credentials.js";
import { passwordGrant } from "./grants/password.js";
import { refreshTokenGrant } from "./grants/refresh-token.js";
import { logSafe } from "./log-safe.js";
import type { LoginLimiter } from "./login-limiter.js";
import { noStore, OAUTH_JSON, OAuthError, oauthErrors } from "./oauth-error.js";
import { registerMethodNotAllowed } from "./method-not-allowed.js";

const grants: Record<GrantType, Grant> = {
  password: passwordGrant,
  refresh_token: refreshTokenGrant,
  client_credentials: clientCredentialsGrant,
  authorization_code: authorizationCodeGrant,
};

function isGrantType(value: string): value is GrantType {
  return (grantTypes as readonly string[]).includes(value);
}

/**
 * `POST /oauth/token` (simple_oauth 6.0.9 + league 9 wire format): form-encoded parameters,
 * client authentication, then the grant the client asked for and is allowed to use.
 */
export function registerTokenRoute(
  app: FastifyInstance,
  services: Services,
  limiter: LoginLimiter,
): void {
  app.post("/oauth/token", { bodyLimit: FORM_BODY_LIMIT }, async (request, reply) => {
    let params: FormParams | undefined;
    let clientId: string | undefined;
    let body: TokenResponse;
    try {
      rejectParametersInQuery(request);
      params = formParamsOf(request);
      const { compat } = services.config;
      const client = authenticateClient(request, params, services.clients, "token", compat);
      clientId = client.clientId;
      const grantType = params.get("grant_type");
      if (
        grantType === undefined ||
        !isGrantType(grantType) ||
        !client.grantTypes.includes(grantType)
      ) {
        // simple_oauth 6.x answers a grant the consumer does not enable as an unsupported one;
        // 5.x finds no grant plugin and answers invalid_grant (drupal-wire A.7, 5.x tests).
        throw compat === 5
          ? oauthErrors.invalidGrant("Check the `grant_type` parameter")
          : oauthErrors.unsupportedGrantType();
      }
      const audience = wireClientId(client, compat);
      body = await grants[grantType]({ request, params, client, audience, services, limiter });
    } catch (error) {
      if (error instanceof OAuthError) {
        request.log.info(
          {
            grantType: logSafe(params?.get("grant_type"), 32),
            clientId: logSafe(clientId ?? params?.get("client_id"), 64),
            username: logSafe(params?.get("username")),
            outcome: error.error,
            status: error.statusCode,
          },
          "token request refused",
        );
      }
      throw error;
    }
    return noStore(reply).code(200).type(OAUTH_JSON).send(body);
  });
  registerMethodNotAllowed(app, "/oauth/token", ["POST"]);
}
