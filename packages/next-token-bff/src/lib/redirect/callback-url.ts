const MAX_LENGTH = 2048;
/** A scheme, as the URL parser reads it once it has dropped tabs, newlines and edge spaces. */
const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;
// eslint-disable-next-line no-control-regex -- what the URL parser itself ignores
const IGNORED_BY_PARSER = /^[\u0000-\u0020]+|[\u0000-\u0020]+$|[\t\n\r]/g;

/**
 * The path, query and fragment of `value` if it names a place on `origin`, else null. This is
 * the one decision behind every redirect to a caller-supplied place (catalogue A4).
 *
 * `value` is an absolute URL of the app's origin or a path beginning with `/`; the WHATWG URL
 * parser (the browser's) resolves it against the origin, and the serialised path must not
 * begin with `//` or `/\`, which a browser would read as another host: `/.//evil` and
 * `/a/..//evil` only become `//evil` after dot segments are removed, so the check comes after.
 */
function pathOnOrigin(value: unknown, origin: string): string | null {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_LENGTH) return null;
  const cleaned = value.replace(IGNORED_BY_PARSER, "");
  let url: URL;
  try {
    // With a scheme the value is absolute (`https:evil.example` included); otherwise a path.
    if (SCHEME.test(cleaned)) url = new URL(cleaned);
    else if (cleaned.startsWith("/")) url = new URL(cleaned, origin);
    else return null;
  } catch {
    return null;
  }
  if (url.origin !== origin) return null;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith("//") || path.startsWith("/\\") ? null : path;
}

/**
 * Where a redirect to a caller-supplied place goes: the app's origin plus the checked path of
 * `value`, or of `fallback` when `value` names anything else. Always an absolute URL on
 * `appUrl`'s origin, so no browser can read the `Location` as another host.
 */
export function redirectTarget(value: unknown, appUrl: string, fallback = "/"): string {
  const origin = new URL(appUrl).origin;
  return `${origin}${pathOnOrigin(value, origin) ?? pathOnOrigin(fallback, origin) ?? "/"}`;
}

/** Any origin will do for carrying a target along: only its path is kept. */
const CARRIER_ORIGIN = "http://app.invalid";

/**
 * The checked path of a caller-supplied place, for carrying it along (`?callbackUrl=`, a form
 * prop) until a redirect; the redirect itself takes {@link redirectTarget}.
 */
export function safeCallbackPath(value: string | null | undefined, fallback = "/"): string {
  return redirectTarget(value, CARRIER_ORIGIN, fallback).slice(CARRIER_ORIGIN.length);
}

/** `/login?callbackUrl=<path>` for a protected path the person asked for. */
export function loginPathFor(callbackPath: string, loginPath = "/login"): string {
  const safe = safeCallbackPath(callbackPath);
  return safe === "/" ? loginPath : `${loginPath}?callbackUrl=${encodeURIComponent(safe)}`;
}
