import { DEMO_CLIENT_SECRET, WEB_CLIENT_ID } from "../src/db/bootstrap.js";
import { demoUsers } from "../src/db/demo-data.js";

// The token endpoint's requests of the bench: alice's password grant and refresh grants.
const found = demoUsers.find((user) => user.name === "alice");
if (!found) throw new Error("demo user alice is missing");
const alice = found;
export const FORM = { "content-type": "application/x-www-form-urlencoded" };

function form(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

export const passwordBody = form({
  grant_type: "password",
  client_id: WEB_CLIENT_ID,
  client_secret: DEMO_CLIENT_SECRET,
  username: alice.name,
  password: alice.password,
  scope: "editor",
});

export function refreshBody(refreshToken: string): string {
  return form({
    grant_type: "refresh_token",
    client_id: WEB_CLIENT_ID,
    client_secret: DEMO_CLIENT_SECRET,
    refresh_token: refreshToken,
  });
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
}

export async function passwordGrant(base: string): Promise<TokenPair> {
  const response = await fetch(`${base}/oauth/token`, {
    method: "POST",
    headers: FORM,
    body: passwordBody,
  });
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(`password grant answered ${response.status}: ${text.slice(0, 200)}`);
  }
  const body = JSON.parse(text) as Partial<TokenPair>;
  if (typeof body.access_token !== "string" || typeof body.refresh_token !== "string") {
    throw new Error(`password grant answered without tokens: ${text.slice(0, 200)}`);
  }
  return { access_token: body.access_token, refresh_token: body.refresh_token };
}
