import type { FastifyInstance } from "fastify";
import { registerBearerAuth } from "../http/bearer-auth.js";
import type { Services } from "../services.js";
import { noStore, OAUTH_JSON, OAuthError } from "./oauth-error.js";

/**
 * `GET|POST /oauth/userinfo`: simple_oauth's OpenID Connect claims for the token's user.
 * Register it as its own plugin: the bearer hook must only run for this route.
 */
// eslint-disable-next-line @typescript-eslint/require-await -- Fastify async plugin: a throw while registering rejects app.register() instead of escaping avvio
export async function userinfoRoutes(
  app: FastifyInstance,
  options: { services: Services },
): Promise<void> {
  const { services } = options;
  registerBearerAuth(app, services.verifier, services.config.compat);

  app.route({
    method: ["GET", "POST"],
    url: "/oauth/userinfo",
    handler: async (request, reply) => {
      const caller = request.caller;
      if (caller.kind !== "user") {
        throw new OAuthError(
          403,
          "access_denied",
          "The user info endpoint needs a valid access token of a user.",
        );
      }
      const { user } = caller;
      return noStore(reply)
        .type(OAUTH_JSON)
        .send({
          sub: String(user.uid),
          // Drupal's display name; this API has no display-name hook, so it is the account name.
          name: user.name,
          preferred_username: user.name,
          ...(user.mail !== null ? { email: user.mail, email_verified: true } : {}),
          profile: `${services.config.issuer}user/${user.uid}`,
          locale: "en",
          zoneinfo: "UTC",
          updated_at: user.changed,
          // Extension, not in simple_oauth: the roles this token may act with (scope roles the
          // user holds now). The web app shows them; OIDC clients ignore unknown claims.
          roles: caller.roles,
        });
    },
  });
}
