import type { ApiConfig } from "./config.js";
import type { Database } from "./db/database.js";
import { createBearerVerifier } from "./auth/bearer-verifier.js";
import { loadSigningKey } from "./auth/signing-key.js";
import { createTokenIssuer } from "./auth/token-issuer.js";
import { createAuthorizationCodeRepository } from "./db/authorization-codes.js";
import { createClientRepository } from "./db/clients.js";
import { createScopeRepository } from "./db/scopes.js";
import { loadSecret } from "./db/secrets.js";
import { createTokenRepository } from "./db/tokens.js";
import { createUserRepository } from "./db/users.js";
import { createRefreshReuseMemory } from "./oauth/refresh-reuse.js";

/** Everything the routes need, built once per process from the configuration and the database. */
export function createServices(config: ApiConfig, db: Database) {
  const users = createUserRepository(db);
  const clients = createClientRepository(db);
  const scopes = createScopeRepository(db);
  const tokens = createTokenRepository(db);
  const codes = createAuthorizationCodeRepository(db);
  const key = loadSigningKey(db);
  // Signs the authorization pages' session and CSRF cookies; shared by all instances.
  const pageSecret = loadSecret(db, "authorize-pages");
  const issuer = createTokenIssuer({
    tokens,
    key,
    issuer: config.issuer,
    accessTokenTtl: config.accessTokenTtl,
    refreshTokenTtl: config.refreshTokenTtl,
    withIssuerClaim: config.compat === 6,
  });
  const verifier = createBearerVerifier({
    key,
    issuer: config.issuer,
    tokens,
    users,
    scopes,
    clients,
    compat: config.compat,
  });
  // Answers of recent refresh rotations, in this process only (REFRESH_REUSE_INTERVAL).
  const refreshReuse = createRefreshReuseMemory(config.refreshReuseInterval);
  return {
    config,
    db,
    users,
    clients,
    scopes,
    tokens,
    codes,
    key,
    pageSecret,
    issuer,
    verifier,
    refreshReuse,
  };
}

export type Services = ReturnType<typeof createServices>;
