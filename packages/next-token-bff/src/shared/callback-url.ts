/**
 * Where to send a person after sign-in. Only same-origin paths are allowed: `//evil`, `/\evil`,
 * `https://evil`, `javascript:` and anything that does not parse all become `/` (open-redirect
 * defence, catalogue A4). Browsers treat `\` like `/`, and strip tabs and newlines, so both are
 * checked after normalising.
 */
export function safeCallbackPath(value: string | null | undefined, fallback = "/"): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return fallback;
  // eslint-disable-next-line no-control-regex -- browsers drop these characters from URLs
  const cleaned = value.replace(/[\u0000-\u001F\u007F]/g, "");
  if (!cleaned.startsWith("/")) return fallback;
  const second = cleaned.charAt(1);
  if (second === "/" || second === "\\") return fallback;
  try {
    // Resolve against a placeholder origin: if the origin changes, the value was not a plain path.
    const base = "http://same-origin.invalid";
    const resolved = new URL(cleaned, base);
    if (resolved.origin !== base) return fallback;
    return `${resolved.pathname}${resolved.search}${resolved.hash}`;
  } catch {
    return fallback;
  }
}

/** `/login?callbackUrl=<path>` for a protected path the person asked for. */
export function loginPathFor(callbackPath: string, loginPath = "/login"): string {
  const safe = safeCallbackPath(callbackPath);
  return safe === "/" ? loginPath : `${loginPath}?callbackUrl=${encodeURIComponent(safe)}`;
}
