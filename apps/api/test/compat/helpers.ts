import { decodeJwt, decodeProtectedHeader } from "jose";
import { WEB_CLIENT_UUID } from "../../src/db/bootstrap.js";
import { startTestApi, WEB_CLIENT, type TestApi } from "../helpers/test-api.js";
import { tokenRequest, type JsonResponse } from "../oauth/oauth-client.js";

/**
 * The two simple_oauth generations side by side (API_COMPAT): `six` is the default 6.x API,
 * `five` answers like simple_oauth 5.2 on league 8. Each mode's tests use its own client id:
 * `next-web` in 6.x, the consumer's UUID in 5.x.
 */
export interface Modes {
  five: TestApi;
  six: TestApi;
}

export async function startModes(env: Record<string, string> = {}): Promise<Modes> {
  const [five, six] = await Promise.all([
    startTestApi({ API_COMPAT: "5", ...env }),
    startTestApi({ API_COMPAT: "6", ...env }),
  ]);
  return { five, six };
}

export async function closeModes(modes: Partial<Modes> | undefined): Promise<void> {
  await Promise.all([modes?.five?.close(), modes?.six?.close()]);
}

/** The client id each mode puts on the wire for the web app's client. */
export function clientIdOf(api: TestApi): string {
  return api.config.compat === 5 ? WEB_CLIENT_UUID : WEB_CLIENT.id;
}

export function passwordGrant(
  api: TestApi,
  params: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  return tokenRequest(
    api,
    {
      grant_type: "password",
      client_id: clientIdOf(api),
      client_secret: WEB_CLIENT.secret,
      username: "alice",
      password: "alice-password",
      ...params,
    },
    headers,
  );
}

export function refreshGrant(
  api: TestApi,
  refreshToken: string,
  params: Record<string, string> = {},
): Promise<JsonResponse> {
  return tokenRequest(api, {
    grant_type: "refresh_token",
    client_id: clientIdOf(api),
    client_secret: WEB_CLIENT.secret,
    refresh_token: refreshToken,
    ...params,
  });
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  claims: ReturnType<typeof decodeJwt>;
  header: ReturnType<typeof decodeProtectedHeader>;
}

export function tokensOf(response: JsonResponse): Tokens {
  const { access_token: accessToken, refresh_token: refreshToken } = response.body;
  if (response.status !== 200 || typeof accessToken !== "string") {
    throw new Error(`no tokens: ${String(response.status)} ${response.text}`);
  }
  return {
    accessToken,
    refreshToken: typeof refreshToken === "string" ? refreshToken : "",
    claims: decodeJwt(accessToken),
    header: decodeProtectedHeader(accessToken),
  };
}

export async function signIn(
  api: TestApi,
  username: string,
  scope: string | undefined,
): Promise<Tokens> {
  const params: Record<string, string> = { username, password: `${username}-password` };
  if (scope !== undefined) params.scope = scope;
  return tokensOf(await passwordGrant(api, params));
}
