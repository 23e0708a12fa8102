import { roles } from "../auth/permissions.js";
import { sha256 } from "../auth/hash.js";
import type { Services } from "../services.js";
import { ConfigError } from "../config.js";
import { loadDemoData } from "./demo-data.js";

export const WEB_CLIENT_ID = "next-web";
export const DEMO_CLIENT_SECRET = "next-web-secret";

/**
 * Makes sure a database has what the API needs: one scope per role (enabled for every grant),
 * the web app's OAuth client and, when asked for, the demo users and articles.
 */
export async function bootstrap(services: Services): Promise<void> {
  const { config, scopes, clients, users } = services;
  for (const role of roles) {
    scopes.upsert({
      name: role,
      description: `Act with the ${role} role`,
      role,
      grantTypes: ["password", "refresh_token", "client_credentials"],
    });
  }

  const secret = config.clientSecret ?? (config.demoData ? DEMO_CLIENT_SECRET : undefined);
  const existing = clients.find(WEB_CLIENT_ID);
  if (!secret && !existing) {
    throw new ConfigError(
      "API_CLIENT_SECRET is required: it is the secret of the web app's OAuth client `next-web` (only demo data has a default).",
    );
  }
  if (secret) {
    clients.upsert({
      clientId: WEB_CLIENT_ID,
      label: "Next.js web app",
      secretHash: sha256(secret),
      confidential: true,
      grantTypes: ["password", "refresh_token"],
      defaultScopes: [],
      defaultUser: null,
    });
  }

  if (config.demoData && users.count() === 0) await loadDemoData(services);
}
