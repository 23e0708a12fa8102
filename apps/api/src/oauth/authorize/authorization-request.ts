import type { OAuthClient } from "../../db/clients.js";
import type { Scope } from "../../db/scopes.js";
import type { Services } from "../../services.js";
import { findClientOnWire, scope5 } from "../compat.js";
import { S256_CHALLENGE_PATTERN } from "../pkce.js";
import { parseScopeParam } from "../scope-param.js";

/** A validated authorization request (RFC 6749 §4.1.1 + RFC 7636 + OpenID Connect basics). */
export interface AuthorizationRequest {
  client: OAuthClient;
  redirectUri: string;
  state: string | undefined;
  scopes: Scope[];
  codeChallenge: string;
  nonce: string | undefined;
  prompt: ReadonlySet<string>;
  /** The query string as received (without `?`): the consent form posts back to it. */
  query: string;
}

/** Where errors may be sent once client and redirect URI are known to be good. */
export interface RedirectTarget {
  redirectUri: string;
  state: string | undefined;
}

export type AuthorizationCheck =
  | { kind: "ok"; request: AuthorizationRequest }
  /** Client or redirect URI unusable: show an error page, never redirect (RFC 6749 §4.1.2.1). */
  | { kind: "page"; message: string }
  /** Any other problem: back to the client with `error` (RFC 6749 §4.1.2.1). */
  | { kind: "redirect"; target: RedirectTarget; error: string; description: string };

const promptValues = new Set(["none", "login", "consent", "select_account"]);

/**
 * Checks an authorization request given as its raw query string. Parameters are read with
 * URLSearchParams; none may appear twice (RFC 6749 §3.1). The redirect URI must equal one of
 * the client's registered URIs exactly; PKCE with S256 is required.
 */
export function checkAuthorizationRequest(query: string, services: Services): AuthorizationCheck {
  const values = new Map<string, string>();
  const repeated = new Set<string>();
  for (const [name, value] of new URLSearchParams(query)) {
    if (values.has(name)) repeated.add(name);
    else values.set(name, value);
  }
  const get = (name: string): string | undefined => {
    const value = values.get(name);
    return value === "" ? undefined : value;
  };

  const clientId = get("client_id");
  if (clientId === undefined || repeated.has("client_id")) {
    return { kind: "page", message: "The request does not name an application (client_id)." };
  }
  const { compat } = services.config;
  const client = findClientOnWire(services.clients, compat, clientId);
  if (!client) return { kind: "page", message: "The application (client_id) is not known." };
  const redirectUri = get("redirect_uri");
  if (redirectUri === undefined || repeated.has("redirect_uri")) {
    return { kind: "page", message: "The request has no return address (redirect_uri)." };
  }
  if (!client.redirectUris.includes(redirectUri)) {
    return {
      kind: "page",
      message: "The return address (redirect_uri) is not registered for this application.",
    };
  }

  const target: RedirectTarget = { redirectUri, state: get("state") };
  const refuse = (error: string, description: string): AuthorizationCheck => ({
    kind: "redirect",
    target,
    error,
    description,
  });

  const twice = [...repeated][0];
  if (twice !== undefined) {
    return refuse("invalid_request", `The ${twice} parameter must not be sent more than once.`);
  }
  if (!client.grantTypes.includes("authorization_code")) {
    return refuse(
      "unauthorized_client",
      "The client is not allowed to use the authorization code flow.",
    );
  }
  const responseType = get("response_type");
  if (responseType === undefined) {
    return refuse("invalid_request", "The response_type parameter is required.");
  }
  if (responseType !== "code") {
    return refuse("unsupported_response_type", "Only response_type=code is supported.");
  }
  const responseMode = get("response_mode");
  if (responseMode !== undefined && responseMode !== "query") {
    return refuse("invalid_request", "Only response_mode=query is supported.");
  }
  if (get("request") !== undefined) {
    return refuse("request_not_supported", "Request objects are not supported.");
  }
  if (get("request_uri") !== undefined) {
    return refuse("request_uri_not_supported", "request_uri is not supported.");
  }

  const codeChallenge = get("code_challenge");
  if (codeChallenge === undefined) {
    return refuse("invalid_request", "PKCE is required: send code_challenge (S256).");
  }
  if (get("code_challenge_method") !== "S256") {
    return refuse("invalid_request", "Only code_challenge_method=S256 is supported.");
  }
  if (!S256_CHALLENGE_PATTERN.test(codeChallenge)) {
    return refuse("invalid_request", "The code_challenge is not a base64url SHA-256 value.");
  }

  const names = get("scope") !== undefined ? parseScopeParam(get("scope")) : client.defaultScopes;
  const scopes: Scope[] = [];
  for (const name of names) {
    // 5.x: any role name or OpenID Connect scope; narrowed to the user's roles at the exchange.
    const scope = compat === 5 ? scope5(name, services.scopes) : services.scopes.find(name);
    if (!scope || !scope.grantTypes.includes("authorization_code")) {
      return refuse("invalid_scope", `The scope ${name} is unknown or not allowed.`);
    }
    scopes.push(scope);
  }

  const prompt = new Set((get("prompt") ?? "").split(" ").filter(Boolean));
  if ([...prompt].some((value) => !promptValues.has(value))) {
    return refuse("invalid_request", "The prompt parameter has an unknown value.");
  }
  if (prompt.has("none") && prompt.size > 1) {
    return refuse("invalid_request", "prompt=none cannot be combined with other values.");
  }

  return {
    kind: "ok",
    request: {
      client,
      redirectUri,
      state: target.state,
      scopes,
      codeChallenge,
      nonce: get("nonce"),
      prompt,
      query,
    },
  };
}

/** The query without `prompt=login` (after signing in, the request must not ask for it again). */
export function withoutLoginPrompt(query: string): string {
  const params = new URLSearchParams(query);
  const prompt = (params.get("prompt") ?? "").split(" ").filter((v) => v && v !== "login");
  if (!params.has("prompt")) return query;
  if (prompt.length > 0) params.set("prompt", prompt.join(" "));
  else params.delete("prompt");
  return params.toString();
}

const DESTINATION = /^\/oauth\/authorize(?:\?([\x21-\x7e]*))?$/;

/**
 * The sign-in page's `destination` (Drupal's name for it): only ever the authorization endpoint
 * on this server. Returns the authorization query it carries, or undefined for anything else:
 * other paths, `//host`, `/\host`, absolute URLs, `javascript:`, spaces, backslashes, `#`.
 */
export function destinationQuery(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.length > 8192) return undefined;
  const match = DESTINATION.exec(raw);
  if (!match) return undefined;
  const query = match[1] ?? "";
  return /[\\#]/.test(query) ? undefined : query;
}

/** The destination value for an authorization query. */
export function destinationFor(query: string): string {
  return query === "" ? "/oauth/authorize" : `/oauth/authorize?${query}`;
}
