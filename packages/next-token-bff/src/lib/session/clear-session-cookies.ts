/**
 * `Set-Cookie` values that delete the session cookie: the whole name and every chunk the
 * request carried, with the attributes next-auth set them with (`createAuthOptions`), so the
 * browser matches and drops each one (catalogue A2, A9).
 */
export function clearSessionCookies(
  cookieName: string,
  requestCookieNames: readonly string[],
  secure: boolean,
): string[] {
  const names = new Set([cookieName, ...requestCookieNames]);
  const attributes = `Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
  return [...names].map((name) => `${name}=; ${attributes}`);
}
