import type { FastifyRequest } from "fastify";
import { secretMatches } from "../auth/hash.js";
import type { ClientRepository, OAuthClient } from "../db/clients.js";
import { findClientOnWire, type Compat } from "./compat.js";
import type { FormParams } from "./form-body.js";
import { oauthErrors } from "./oauth-error.js";

interface BasicCredentials {
  clientId: string;
  secret: string;
}

const base64Pattern = /^[A-Za-z0-9+/]+={0,2}$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads `Authorization: Basic base64(client_id:client_secret)`. Like league/oauth2-server the
 * two parts are taken as they are (not form-decoded). Another scheme is ignored (undefined); a
 * Basic header that cannot be decoded is a failed client authentication.
 */
function readBasicCredentials(request: FastifyRequest): BasicCredentials | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^\s*basic\s+(\S*)\s*$/i.exec(header);
  if (!match) return undefined;
  const encoded = match[1] ?? "";
  let decoded: string;
  try {
    if (!base64Pattern.test(encoded)) throw new Error("not base64");
    decoded = utf8.decode(Buffer.from(encoded, "base64"));
  } catch {
    throw oauthErrors.invalidClient(request);
  }
  const colon = decoded.indexOf(":");
  if (colon <= 0) throw oauthErrors.invalidClient(request);
  return { clientId: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/**
 * How missing credentials are answered: the token endpoint follows league 9 (400
 * `invalid_request` naming the parameter), the revocation endpoint RFC 7009 (401 `invalid_client`).
 */
export type ClientAuthMode = "token" | "revoke";

/**
 * Authenticates the calling client by HTTP Basic or by `client_id`/`client_secret` form fields
 * (never both). Secrets are compared in constant time against their stored SHA-256 hash.
 * In 5.x mode the client id is the consumer's UUID, and a missing secret of a confidential
 * client is `invalid_client` (league 8; drupal-wire A.1, A.7).
 */
export function authenticateClient(
  request: FastifyRequest,
  params: FormParams,
  clients: ClientRepository,
  mode: ClientAuthMode,
  compat: Compat = 6,
): OAuthClient {
  const basic = readBasicCredentials(request);
  const formId = params.get("client_id");
  const formSecret = params.get("client_secret");
  if (basic && (formSecret !== undefined || (formId !== undefined && formId !== basic.clientId))) {
    throw oauthErrors.invalidRequest(
      "client_secret",
      "Authenticate the client with HTTP Basic or with form parameters, not both",
    );
  }

  const clientId = basic?.clientId ?? formId;
  const secret = basic ? basic.secret || undefined : formSecret;
  if (clientId === undefined) {
    throw mode === "token"
      ? oauthErrors.invalidRequest("client_id")
      : oauthErrors.invalidClient(request);
  }

  const client = findClientOnWire(clients, compat, clientId);
  if (!client) throw oauthErrors.invalidClient(request);
  if (!client.confidential) return client;

  if (secret === undefined) {
    throw mode === "token" && compat === 6
      ? oauthErrors.invalidRequest("client_secret")
      : oauthErrors.invalidClient(request);
  }
  if (client.secretHash === null || !secretMatches(secret, client.secretHash)) {
    throw oauthErrors.invalidClient(request);
  }
  return client;
}
