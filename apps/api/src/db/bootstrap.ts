import { roles } from "../auth/permissions.js";
import { sha256 } from "../auth/hash.js";
import type { Services } from "../services.js";
import { ConfigError } from "../config.js";
import type { ClientRepository } from "./clients.js";
import { loadDemoData } from "./demo-data.js";
import type { ScopeRepository } from "./scopes.js";
import { OPENID_SCOPE } from "./scopes.js";

export const WEB_CLIENT_ID = "next-web";
/**
 * The `next-web` consumer's UUID, the same in every database: its client id under API_COMPAT=5
 * (simple_oauth 5.x identifies consumers by UUID).
 */
export const WEB_CLIENT_UUID = "a6a1f7fe-a77c-466d-a5a2-17098cec0c50";
export const DEMO_CLIENT_SECRET = "next-web-secret";

/** One scope per role, enabled for every grant, and `openid` (no role) for the password and code grants. */
export function upsertScopes(scopes: ScopeRepository): void {
  for (const role of roles) {
    scopes.upsert({
      name: role,
      description: `Act with the ${role} role`,
      role,
      grantTypes: ["password", "refresh_token", "client_credentials", "authorization_code"],
    });
  }
  scopes.upsert({
    name: OPENID_SCOPE,
    description: "Sign in with your account (OpenID Connect)",
    role: null,
    // With the password grant it brings an id_token, which spares a client its userinfo call.
    grantTypes: ["password", "authorization_code", "refresh_token"],
  });
}

/**
 * The web app's client: confidential, password and authorization code grants with refresh
 * tokens, first-party (no consent page, like simple_oauth's `automatic_authorization`).
 */
export function upsertWebClient(
  clients: ClientRepository,
  secretHash: string | null,
  redirectUris: string[],
): void {
  clients.upsert({
    clientId: WEB_CLIENT_ID,
    uuid: WEB_CLIENT_UUID,
    label: "Next.js web app",
    secretHash,
    confidential: true,
    grantTypes: ["password", "refresh_token", "authorization_code"],
    defaultScopes: [],
    defaultUser: null,
    redirectUris,
    automaticAuthorization: true,
  });
}

/**
 * Makes sure a database has what the API needs: the scopes, the web app's OAuth client (its
 * redirect URIs from API_WEB_REDIRECT_URIS) and, when asked for, the demo users and articles.
 */
export async function bootstrap(services: Services): Promise<void> {
  const { config, scopes, clients, users } = services;
  upsertScopes(scopes);

  const secret = config.clientSecret ?? (config.demoData ? DEMO_CLIENT_SECRET : undefined);
  const existing = clients.find(WEB_CLIENT_ID);
  if (!secret && !existing) {
    throw new ConfigError(
      "API_CLIENT_SECRET is required: it is the secret of the web app's OAuth client `next-web` (only demo data has a default).",
    );
  }
  const secretHash = secret ? sha256(secret) : (existing?.secretHash ?? null);
  upsertWebClient(clients, secretHash, config.webRedirectUris);

  if (config.demoData && users.count() === 0) await loadDemoData(services);
}
