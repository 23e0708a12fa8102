import { sha256 } from "../../src/auth/hash.js";
import { startTestApi, type TestApi } from "../helpers/test-api.js";
import { INVALID_REQUEST, webClient } from "./oauth-client.js";

// Shared by the security catalogue's C5/C6 (request-shape.test.ts) and C13 (grant-allowlist.test.ts).
export const alice = {
  grant_type: "password",
  ...webClient,
  username: "alice",
  password: "alice-password",
};
export const invalidClient = {
  error: "invalid_client",
  error_description: "Client authentication failed",
};
export const unsupportedGrant = {
  error: "unsupported_grant_type",
  error_description: "The authorization grant type is not supported by the authorization server.",
  hint: "Check that all required parameters have been provided",
};
export const incorrect = {
  error: "invalid_grant",
  error_description: "The user credentials were incorrect.",
};

export function invalidRequest(hint: string) {
  return { error: "invalid_request", error_description: INVALID_REQUEST, hint };
}

export function invalidScope(scope: string) {
  return {
    error: "invalid_scope",
    error_description: "The requested scope is invalid, unknown, or malformed",
    hint: `Check the \`${scope}\` scope`,
  };
}

/**
 * The test API with client_credentials clients (`service`, `service-defaults`,
 * `service-no-user`), a public client (`public-app`) and a client_credentials-only scope
 * (`machine`); the per-user login limit is high and the slow-down off, so wrong passwords never
 * lock alice out or slow her down.
 */
export async function startRequestShapeApi(): Promise<TestApi> {
  const api = await startTestApi({ LOGIN_FAILURES_PER_USER: "1000", LOGIN_SLOWDOWN_MAX_MS: "0" });
  const { clients, scopes } = api.services;
  const base = { label: "test", confidential: true, defaultScopes: [], defaultUser: null };
  clients.upsert({
    ...base,
    clientId: "service",
    secretHash: sha256("service-secret"),
    grantTypes: ["client_credentials"],
    defaultUser: 1,
  });
  clients.upsert({
    ...base,
    clientId: "service-defaults",
    secretHash: sha256("service-secret"),
    grantTypes: ["client_credentials"],
    defaultUser: 3,
    defaultScopes: ["reader"],
  });
  clients.upsert({
    ...base,
    clientId: "service-no-user",
    secretHash: sha256("service-secret"),
    grantTypes: ["client_credentials"],
  });
  clients.upsert({
    ...base,
    clientId: "public-app",
    secretHash: null,
    confidential: false,
    grantTypes: ["password", "client_credentials"],
    defaultUser: 1,
  });
  scopes.upsert({
    name: "machine",
    description: "client credentials only",
    role: "reader",
    grantTypes: ["client_credentials"],
  });
  return api;
}
