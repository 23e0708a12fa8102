import { upstreamClient } from "../test/support/context";
import { alice, scope } from "./config";

// The API's token endpoint called directly, as the app does behind its sign-in and refresh.

export const form = (params: Record<string, string>) => new URLSearchParams(params).toString();
export const formHeaders = { "content-type": "application/x-www-form-urlencoded" };

export async function tokenRequest(apiUrl: string, params: Record<string, string>) {
  const response = await fetch(`${apiUrl}/oauth/token`, {
    method: "POST",
    headers: formHeaders,
    body: form({ client_id: upstreamClient.id, client_secret: upstreamClient.secret, ...params }),
  });
  const body = (await response.json()) as { access_token?: string; refresh_token?: string };
  if (response.status !== 200 || body.refresh_token === undefined) {
    throw new Error(`token endpoint answered ${response.status}`);
  }
  return { accessToken: body.access_token ?? "", refreshToken: body.refresh_token };
}

export const passwordGrant = (apiUrl: string, grantScope = scope) =>
  tokenRequest(apiUrl, {
    grant_type: "password",
    username: alice.username,
    password: alice.password,
    scope: grantScope,
  });
