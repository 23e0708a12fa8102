/**
 * The static security headers (catalogue E1), set for every path in `next.config.ts`. No
 * imports: next.config.ts loads this file at build time. The pages' Content-Security-Policy,
 * with its per-request nonce, is in `security-headers.ts` (set by proxy.ts).
 */

export const staticSecurityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
];

/** JSON answers and next-auth's own small HTML pages (inline styles, no scripts) under /api. */
export const apiContentSecurityPolicy =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
