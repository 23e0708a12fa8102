/** The `Authorization` header value for an access token: the one place it is written. */
export function bearerHeader(accessToken: string): string {
  return `Bearer ${accessToken}`;
}
