/** next-auth's chunk size (`core/lib/cookie.ts`): 4096 bytes minus room for the attributes. */
export const SESSION_COOKIE_CHUNK_SIZE = 4096 - 163;

/**
 * The session cookie's name. `__Host-` under https (no Domain, Path=/, Secure: a sibling
 * subdomain cannot set or shadow it, catalogue A3); plain otherwise, since browsers refuse
 * prefixed cookies without Secure.
 */
export function sessionCookieName(secureCookies: boolean): string {
  return secureCookies ? "__Host-next-auth.session-token" : "next-auth.session-token";
}

export interface CookieEntry {
  name: string;
  value: string | undefined;
}

/**
 * Joins the session cookie from its whole form (`name`) or its chunks (`name.0`, `name.1` …),
 * skipping empty values: right after a chunk-count change Next lists deleted cookies with an
 * empty or undefined value. Returns undefined when there is no session cookie.
 */
export function joinSessionCookie(
  cookies: Iterable<CookieEntry>,
  name: string,
): string | undefined {
  let whole: string | undefined;
  const chunks: Array<{ index: number; value: string }> = [];
  for (const cookie of cookies) {
    if (!cookie.value) continue;
    if (cookie.name === name) {
      whole = cookie.value;
      continue;
    }
    const suffix = cookie.name.startsWith(`${name}.`) ? cookie.name.slice(name.length + 1) : "";
    if (/^\d+$/.test(suffix)) chunks.push({ index: Number(suffix), value: cookie.value });
  }
  if (chunks.length === 0) return whole;
  // A stale whole cookie beside fresh chunks (or the reverse) must not be glued together.
  if (whole !== undefined) return undefined;
  chunks.sort((a, b) => a.index - b.index);
  if (chunks.some((chunk, position) => chunk.index !== position)) return undefined;
  return chunks.map((chunk) => chunk.value).join("");
}

/** Splits an encoded session into cookies the way next-auth does. */
export function splitSessionCookie(
  name: string,
  value: string,
): Array<{ name: string; value: string }> {
  if (value.length <= SESSION_COOKIE_CHUNK_SIZE) return [{ name, value }];
  const parts: Array<{ name: string; value: string }> = [];
  for (let index = 0; index * SESSION_COOKIE_CHUNK_SIZE < value.length; index += 1) {
    const start = index * SESSION_COOKIE_CHUNK_SIZE;
    parts.push({
      name: `${name}.${index}`,
      value: value.slice(start, start + SESSION_COOKIE_CHUNK_SIZE),
    });
  }
  return parts;
}
