import type { CookieEntry } from "./session-cookie.js";

/** Cookies from a raw `Cookie` header (route handlers that only have a `Request`). */
export function parseCookieHeader(header: string | null): CookieEntry[] {
  if (!header) return [];
  const entries: CookieEntry[] = [];
  for (const part of header.split(";")) {
    const separator = part.indexOf("=");
    if (separator <= 0) continue;
    const name = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    try {
      entries.push({ name, value: decodeURIComponent(value) });
    } catch {
      entries.push({ name, value });
    }
  }
  return entries;
}
