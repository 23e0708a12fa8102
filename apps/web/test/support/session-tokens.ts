import type { Cookie } from "playwright-core";
import { decode } from "next-auth/jwt";

/**
 * The upstream tokens inside the session cookie, read the way the server reads them (the test
 * knows the secret). Used to look for the real token values wherever the browser can read.
 */
export async function tokensInCookie(cookies: Cookie[], secret: string) {
  const value = cookies
    .slice()
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((cookie) => cookie.value)
    .join("");
  const claims = await decode({ token: value, secret });
  const accessToken = claims?.accessToken;
  const refreshToken = claims?.refreshToken;
  if (typeof accessToken !== "string" || typeof refreshToken !== "string") {
    throw new Error("the session cookie holds no upstream tokens");
  }
  return { accessToken, refreshToken };
}
