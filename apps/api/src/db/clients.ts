import { randomUUID } from "node:crypto";
import type { Database } from "./database.js";
import { nowSeconds } from "./database.js";

export const grantTypes = [
  "password",
  "refresh_token",
  "client_credentials",
  "authorization_code",
] as const;
export type GrantType = (typeof grantTypes)[number];

export interface OAuthClient {
  clientId: string;
  uuid: string;
  label: string;
  secretHash: string | null;
  confidential: boolean;
  grantTypes: GrantType[];
  defaultScopes: string[];
  defaultUser: number | null;
  /** Redirect URIs of the authorization code flow, matched exactly (string equality). */
  redirectUris: string[];
  /** simple_oauth's `automatic_authorization`: a first-party client skips the consent page. */
  automaticAuthorization: boolean;
}

/**
 * What `upsert` takes; the code-flow fields default to none / consent required, the UUID to a
 * random one on creation (a given UUID is also set on an existing client).
 */
export type ClientInput = Omit<OAuthClient, "uuid" | "redirectUris" | "automaticAuthorization"> &
  Partial<Pick<OAuthClient, "uuid" | "redirectUris" | "automaticAuthorization">>;

interface ClientRow {
  client_id: string;
  uuid: string;
  label: string;
  secret_hash: string | null;
  confidential: number;
  grant_types: string;
  default_scopes: string;
  default_user: number | null;
  redirect_uris: string;
  automatic_authorization: number;
}

function stringList(json: string): string[] {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed)
    ? parsed.filter((item): item is string => typeof item === "string")
    : [];
}

export type ClientRepository = ReturnType<typeof createClientRepository>;

function toClient(row: ClientRow): OAuthClient {
  return {
    clientId: row.client_id,
    uuid: row.uuid,
    label: row.label,
    secretHash: row.secret_hash,
    confidential: row.confidential === 1,
    grantTypes: JSON.parse(row.grant_types) as GrantType[],
    defaultScopes: JSON.parse(row.default_scopes) as string[],
    defaultUser: row.default_user,
    redirectUris: stringList(row.redirect_uris),
    automaticAuthorization: row.automatic_authorization === 1,
  };
}

export function createClientRepository(db: Database) {
  const byId = db.prepare<[string], ClientRow>("SELECT * FROM oauth_clients WHERE client_id = ?");
  const byUuid = db.prepare<[string], ClientRow>("SELECT * FROM oauth_clients WHERE uuid = ?");
  return {
    /** By the `client_id` (simple_oauth 6.x's client id). */
    find(clientId: string): OAuthClient | undefined {
      const row = byId.get(clientId);
      return row && toClient(row);
    },
    /** By the consumer's UUID (simple_oauth 5.x's client id). */
    findByUuid(uuid: string): OAuthClient | undefined {
      const row = byUuid.get(uuid);
      return row && toClient(row);
    },
    upsert(client: ClientInput): void {
      db.prepare(
        `INSERT INTO oauth_clients (client_id, uuid, label, secret_hash, confidential, grant_types, default_scopes, default_user, redirect_uris, automatic_authorization, created)
         VALUES (@clientId, @uuid, @label, @secretHash, @confidential, @grantTypes, @defaultScopes, @defaultUser, @redirectUris, @automaticAuthorization, @created)
         ON CONFLICT (client_id) DO UPDATE SET label = excluded.label, secret_hash = excluded.secret_hash,
           confidential = excluded.confidential, grant_types = excluded.grant_types,
           default_scopes = excluded.default_scopes, default_user = excluded.default_user,
           redirect_uris = excluded.redirect_uris,
           automatic_authorization = excluded.automatic_authorization,
           uuid = COALESCE(@fixedUuid, oauth_clients.uuid)`,
      ).run({
        clientId: client.clientId,
        uuid: client.uuid ?? randomUUID(),
        fixedUuid: client.uuid ?? null,
        label: client.label,
        secretHash: client.secretHash,
        confidential: client.confidential ? 1 : 0,
        grantTypes: JSON.stringify(client.grantTypes),
        defaultScopes: JSON.stringify(client.defaultScopes),
        defaultUser: client.defaultUser,
        redirectUris: JSON.stringify(client.redirectUris ?? []),
        automaticAuthorization: client.automaticAuthorization ? 1 : 0,
        created: nowSeconds(),
      });
    },
  };
}
