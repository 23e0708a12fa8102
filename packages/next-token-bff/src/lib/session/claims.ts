import { z } from "zod";

/**
 * What the encrypted session JWT holds. Tokens and times stay on the server; only the display
 * fields under `user` and the expiry times are ever shown to the browser (`public-session.ts`).
 * Times: `*ExpiresAt` in epoch milliseconds, `authTime`/`lastActivityAt` in epoch seconds
 * (like JWT claims).
 */
export const sessionClaimsSchema = z.object({
  sessionId: z.string().min(16),
  user: z.object({
    sub: z.string().min(1),
    name: z.string(),
    username: z.string(),
    email: z.string().nullable(),
    roles: z.array(z.string()),
  }),
  accessToken: z.string().min(1),
  accessTokenExpiresAt: z.number(),
  refreshToken: z.string().min(1),
  refreshTokenExpiresAt: z.number().nullable(),
  authTime: z.number(),
  lastActivityAt: z.number(),
  /** Which refresh of the session made these tokens: 0 (or absent) at sign-in, one more per refresh. */
  generation: z.number().int().nonnegative().optional(),
  /** When the access token was issued, epoch ms (its lifetime bounds the refresh skew). */
  accessTokenIssuedAt: z.number().optional(),
});

/** The claims of a session JWT, as checked by `sessionClaimsSchema` (see there for units). */
export type SessionClaims = z.infer<typeof sessionClaimsSchema>;

/** The session's generation: which refresh made its tokens (0 at sign-in). */
export const generationOf = (claims: Pick<SessionClaims, "generation">): number =>
  claims.generation ?? 0;

/**
 * Our claims out of a decoded JWT, or null when anything is missing: a token that merely
 * decrypts is not a session (catalogue A12).
 */
export function readSessionClaims(token: unknown): SessionClaims | null {
  const result = sessionClaimsSchema.safeParse(token);
  return result.success ? result.data : null;
}
