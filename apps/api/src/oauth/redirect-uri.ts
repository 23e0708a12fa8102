/**
 * Why a redirect URI cannot be registered, or undefined when it can: an absolute http(s) URL
 * without fragment or user info (RFC 6749 §3.1.2). It is stored exactly as given.
 */
export function redirectUriProblem(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return "is not an absolute URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must be http or https";
  if (uri.includes("#")) return "must not have a fragment";
  if (url.username !== "" || url.password !== "") return "must not contain user info";
  if (/[\s\\]/.test(uri)) return "must not contain spaces or backslashes";
  return undefined;
}

/**
 * The redirect URI with response parameters added to its query (RFC 6749 §4.1.2): the
 * registered string is kept as it is and the parameters appended, form-encoded.
 */
export function withResponseParams(
  redirectUri: string,
  params: Record<string, string | undefined>,
): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) query.append(name, value);
  }
  const separator = !redirectUri.includes("?")
    ? "?"
    : redirectUri.endsWith("?") || redirectUri.endsWith("&")
      ? ""
      : "&";
  return `${redirectUri}${separator}${query.toString()}`;
}
