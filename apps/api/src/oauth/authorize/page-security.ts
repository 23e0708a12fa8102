import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { nowSeconds } from "../../db/database.js";
import { readCookie, serializeCookie } from "./cookies.js";

/** How long the sign-in of the authorization pages lasts, at most (seconds). */
export const SESSION_TTL = 600;
/** How long a CSRF cookie (and so an open sign-in or consent form) stays valid (seconds). */
export const CSRF_TTL = 3600;

export type FormPurpose = "sign-in" | "consent";

/** Who signed in on the authorization pages, and when. */
export interface PageSession {
  uid: number;
  /** When the password was entered (seconds): the ID token's `auth_time`. */
  authTime: number;
  /** The user's `changed` at sign-in: any later change to the account ends the session. */
  changed: number;
  exp: number;
}

const sessionSchema = z.object({
  uid: z.number().int().positive(),
  authTime: z.number().int(),
  changed: z.number().int(),
  exp: z.number().int(),
});

const CSRF_VALUE = /^[A-Za-z0-9_-]{43}$/;

function base64url(buffer: Buffer): string {
  return buffer.toString("base64url");
}

function sameBytes(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export type PageSecurity = ReturnType<typeof createPageSecurity>;

/**
 * The authorization pages' cookies, both HMAC-SHA256-signed with keys derived from one
 * per-database secret (so every instance on the database accepts them):
 *
 * - CSRF, signed double submit: the cookie holds a random value; each form carries
 *   HMAC(key, purpose ‖ value). A cross-site page can neither read the cookie nor compute the
 *   token, and cannot plant a cookie with a matching token without the key.
 * - Session: `base64url(JSON).base64url(HMAC)` with uid, sign-in time, the user's `changed`
 *   and an expiry. It lives for one authorization (cleared when the code or the refusal is
 *   sent back) and at most SESSION_TTL seconds: this API has no long sign-in session.
 *
 * Both are `HttpOnly; SameSite=Lax; Path=/`, with `Secure` and the `__Host-` prefix when the
 * issuer is https.
 */
export function createPageSecurity(secret: Buffer, secure: boolean) {
  const csrfKey = createHmac("sha256", secret).update("csrf").digest();
  const sessionKey = createHmac("sha256", secret).update("session").digest();
  const prefix = secure ? "__Host-" : "";
  const names = { csrf: `${prefix}oauth_csrf`, session: `${prefix}oauth_session` };

  function mac(key: Buffer, data: string): string {
    return base64url(createHmac("sha256", key).update(data).digest());
  }

  return {
    names,

    /** The CSRF cookie's value from the request, when it is well-formed. */
    csrfFromRequest(cookieHeader: string | undefined): string | undefined {
      const value = readCookie(cookieHeader, names.csrf);
      return value !== undefined && CSRF_VALUE.test(value) ? value : undefined;
    },
    newCsrfValue(): string {
      return base64url(randomBytes(32));
    },
    csrfCookie(value: string): string {
      return serializeCookie(names.csrf, value, { maxAge: CSRF_TTL, secure });
    },
    /** The token a form of `purpose` carries for this CSRF cookie value. */
    csrfToken(value: string, purpose: FormPurpose): string {
      return mac(csrfKey, `${purpose}\n${value}`);
    },
    csrfValid(value: string | undefined, token: string | undefined, purpose: FormPurpose): boolean {
      if (value === undefined || token === undefined) return false;
      return sameBytes(token, mac(csrfKey, `${purpose}\n${value}`));
    },

    sessionCookie(session: Omit<PageSession, "exp">): string {
      const payload = base64url(
        Buffer.from(JSON.stringify({ ...session, exp: nowSeconds() + SESSION_TTL })),
      );
      return serializeCookie(names.session, `${payload}.${mac(sessionKey, payload)}`, {
        maxAge: SESSION_TTL,
        secure,
      });
    },
    clearSessionCookie(): string {
      return serializeCookie(names.session, "", { maxAge: 0, secure });
    },
    /** The session from the request when its signature is right and it has not expired. */
    sessionFromRequest(cookieHeader: string | undefined): PageSession | undefined {
      const value = readCookie(cookieHeader, names.session);
      const [payload, signature, ...rest] = value?.split(".") ?? [];
      if (payload === undefined || signature === undefined || rest.length > 0) return undefined;
      if (!sameBytes(signature, mac(sessionKey, payload))) return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
      } catch {
        return undefined;
      }
      const result = sessionSchema.safeParse(parsed);
      if (!result.success || result.data.exp <= nowSeconds()) return undefined;
      return result.data;
    },
  };
}
