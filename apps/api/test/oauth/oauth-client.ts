import { expect } from "vitest";
import { decodeJwt } from "jose";
import { sha256 } from "../../src/auth/hash.js";
import { WEB_CLIENT, type TestApi } from "../helpers/test-api.js";

/** Helpers for talking to the OAuth endpoints of a test API over real HTTP. */

export const FORM = "application/x-www-form-urlencoded";
export const OAUTH_JSON = "application/json; charset=UTF-8";
export const INVALID_REQUEST =
  "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.";

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

async function toJsonResponse(response: Response): Promise<JsonResponse> {
  const text = await response.text();
  let body: Record<string, unknown> = {};
  if (text !== "") body = JSON.parse(text) as Record<string, unknown>;
  return { status: response.status, headers: response.headers, body, text };
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
}

/** POSTs form parameters (sent exactly as given, so duplicates and odd names are possible). */
export async function postForm(
  api: TestApi,
  path: string,
  params: Record<string, string> | string,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  const body = typeof params === "string" ? params : new URLSearchParams(params).toString();
  const response = await fetch(`${api.url}${path}`, {
    method: "POST",
    headers: { "content-type": FORM, ...headers },
    body,
  });
  return toJsonResponse(response);
}

export function tokenRequest(
  api: TestApi,
  params: Record<string, string> | string,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  return postForm(api, "/oauth/token", params, headers);
}

export const webClient = { client_id: WEB_CLIENT.id, client_secret: WEB_CLIENT.secret };

/** A second confidential client with the password and refresh grants. */
export const otherClient = { client_id: "other-app", client_secret: "other-app-secret" };

/** Registers {@link otherClient} in a test API. */
export function addOtherClient(api: TestApi): void {
  api.services.clients.upsert({
    clientId: otherClient.client_id,
    label: "Another client",
    secretHash: sha256(otherClient.client_secret),
    confidential: true,
    grantTypes: ["password", "refresh_token"],
    defaultScopes: [],
    defaultUser: null,
  });
}

/** The answer to a refresh token that was revoked (simple_oauth's wording). */
export const revokedAnswer = {
  error: "invalid_grant",
  error_description: "The refresh token is invalid.",
  hint: "Token has been revoked",
};

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

export function pairOf(response: JsonResponse): TokenPair {
  expect(response.status, response.text).toBe(200);
  const { access_token: accessToken, refresh_token: refreshToken } = response.body;
  if (typeof accessToken !== "string" || typeof refreshToken !== "string") {
    throw new Error(`no token pair in ${response.text}`);
  }
  return { accessToken, refreshToken };
}

export async function login(
  api: TestApi,
  username = "alice",
  password = `${username}-password`,
  scope = "editor",
): Promise<TokenPair> {
  const params: Record<string, string> = {
    grant_type: "password",
    ...webClient,
    username,
    password,
    scope,
  };
  return pairOf(await tokenRequest(api, params));
}

export function refresh(
  api: TestApi,
  refreshToken: string,
  extra: Record<string, string> = {},
): Promise<JsonResponse> {
  return tokenRequest(api, {
    grant_type: "refresh_token",
    refresh_token: refreshToken,
    ...webClient,
    ...extra,
  });
}

export async function userinfo(
  api: TestApi,
  accessToken: string | undefined,
  method: "GET" | "POST" = "GET",
): Promise<JsonResponse> {
  const response = await fetch(`${api.url}/oauth/userinfo`, {
    method,
    headers: accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` },
  });
  return toJsonResponse(response);
}

export function revoke(
  api: TestApi,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  return postForm(api, "/oauth/revoke", params, headers);
}

/** The stored row of an access token (by the hash of its jti) or refresh token. */
export function accessRow(api: TestApi, accessToken: string) {
  const { jti } = decodeJwt(accessToken);
  return api.services.tokens.find("access", sha256(String(jti)));
}

export function refreshRow(api: TestApi, refreshToken: string) {
  return api.services.tokens.find("refresh", sha256(refreshToken));
}

export const bearerChallenge = /^Bearer realm="OAuth", error="access_denied"/;

/** Asserts simple_oauth's 401 for a bad bearer token (the body is deliberately not asserted). */
export function expectBearerRefused(response: JsonResponse): void {
  expect(response.status, response.text).toBe(401);
  expect(response.headers.get("www-authenticate")).toMatch(bearerChallenge);
}

/** Asserts an OAuth error response: status, exact body, JSON content type, no `message`. */
export function expectOAuthError(
  response: JsonResponse,
  status: number,
  body: Record<string, unknown>,
): void {
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get("content-type")).toBe(OAUTH_JSON);
  expect(response.body).toStrictEqual(body);
}
