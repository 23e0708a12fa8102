import { isRole, type Role } from "../auth/permissions.js";
import { grantTypes, type ClientRepository, type OAuthClient } from "../db/clients.js";
import type { Scope, ScopeRepository } from "../db/scopes.js";
import { oauthErrors } from "./oauth-error.js";

/**
 * Which simple_oauth the API answers like (API_COMPAT): `6` (6.x with league/oauth2-server 9,
 * the default) or `5` (5.2 with league 8). drupal-wire.md A.1 lists the differences; the ones
 * that matter to sign-in and sessions are built: the client id, the scopes, the errors, the
 * bearer challenge, the `iss` claim and the revocation endpoint.
 */
export type Compat = 5 | 6;

/**
 * The client a request names: in 5.x the consumer entity's UUID is the client id, in 6.x the
 * consumer's `client_id` field (drupal-wire A.1 "client_id value"; 5.x `ClientRepository`
 * loads by `uuid`). The other form is unknown in each mode.
 */
export function findClientOnWire(
  clients: ClientRepository,
  compat: Compat,
  wireId: string,
): OAuthClient | undefined {
  return compat === 5 ? clients.findByUuid(wireId) : clients.find(wireId);
}

/** The client id as the wire shows it: the JWT `aud` and the ID token's `aud` (A.4). */
export function wireClientId(client: Pick<OAuthClient, "clientId" | "uuid">, compat: Compat) {
  return compat === 5 ? client.uuid : client.clientId;
}

/** The fixed OpenID Connect scopes of 5.x's `OpenIdConnectScopeRepository`. */
const OPENID_SCOPES_5 = ["openid", "profile", "email", "phone", "address"];
/** Drupal's locked roles; 5.x takes every role name as a scope. */
const AUTHENTICATED = "authenticated";
const LOCKED_ROLES = ["anonymous", AUTHENTICATED];

/** 5.x `getScopeEntityByIdentifier`: a role name, else one of the fixed OpenID Connect scopes. */
function isScope5(name: string): boolean {
  return isRole(name) || LOCKED_ROLES.includes(name) || OPENID_SCOPES_5.includes(name);
}

/** league `validateScopes` over 5.x's scopes: an unknown name is `invalid_scope`. */
export function requireScopes5(names: readonly string[]): void {
  const unknown = names.find((name) => !isScope5(name));
  if (unknown !== undefined) throw oauthErrors.invalidScope(unknown);
}

/**
 * 5.x `ScopeRepository::finalizeScopes` with its OpenID Connect decorator (drupal-wire A.1
 * "Scopes are", A.5): of the requested roles only those the user holds, then `authenticated`,
 * then the consumer's roles (this API's clients have none), then the requested OpenID Connect
 * scopes. Whatever else was asked for is dropped silently, not refused.
 */
export function finalizeScopes5(requested: readonly string[], userRoles: readonly Role[]) {
  const held = new Set<string>([AUTHENTICATED, ...userRoles]);
  const finalized = requested.filter((name) => held.has(name));
  finalized.push(AUTHENTICATED);
  finalized.push(...requested.filter((name) => OPENID_SCOPES_5.includes(name)));
  return [...new Set(finalized)];
}

/**
 * A scope of the authorization request in 5.x terms (for the consent page and the code): the
 * stored scope of that name when there is one, else a role or OpenID Connect scope as 5.x has it.
 */
export function scope5(name: string, scopes: ScopeRepository): Scope | undefined {
  if (!isScope5(name)) return undefined;
  const stored = scopes.find(name);
  if (stored) return stored;
  const description = OPENID_SCOPES_5.includes(name)
    ? `OpenID Connect: ${name}`
    : `Act with the ${name} role`;
  return { name, description, role: isRole(name) ? name : null, grantTypes: [...grantTypes] };
}
