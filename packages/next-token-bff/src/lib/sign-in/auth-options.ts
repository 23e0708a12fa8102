import { randomBytes } from "node:crypto";
import type { AuthOptions, RequestInternal } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { BffConfig } from "../config/bff-config.js";
import type { UpstreamProvider } from "../providers/types.js";
import { type SessionClaims, generationOf, readSessionClaims } from "../session/claims.js";
import {
  type NewestGeneration,
  type SessionGenerations,
  newerGeneration,
} from "../session/session-generations.js";
import type { EndedSessionStore } from "../session/ended-sessions.js";
import { type LifetimePolicy, nowInSeconds, sessionEndsAt } from "../session/lifetime-policy.js";
import { toPublicSession } from "../session/public-session.js";
import { sessionCookieName } from "../session/session-cookie.js";
import { redirectTarget } from "../redirect/callback-url.js";
import { authorizeWithUpstream } from "./authorize.js";
import { createCodeFlowProvider } from "./code-flow-provider.js";
import type { SignInLimiter } from "./sign-in-limiter.js";
import { isSignedInUser } from "./signed-in-user.js";
import { BffError } from "../errors/bff-error.js";
import { nextAuthLogger } from "./next-auth-logger.js";

/** What {@link createAuthOptions} needs. */
export interface AuthOptionsDeps {
  /** The checked configuration (secret, cookies, session lifetimes, sign-in methods). Required. */
  config: BffConfig;
  /** The upstream provider that signs users in. Required. */
  provider: UpstreamProvider;
  /** Where ended sessions are looked up, so an ended session's cookie is refused. Required. */
  endedSessions: EndedSessionStore;
  /** Ends a session for good: ended list + upstream revocation. Required. */
  endSession: (claims: SessionClaims) => Promise<void>;
  /** The newest generation of each session, so session reads never write back an older one. Default: none. */
  generations?: SessionGenerations;
  /** Failed sign-ins per browser address and per account (catalogue C1). Required. */
  signInLimiter: SignInLimiter;
  /** Where unexpected sign-in failures are reported. Required. */
  log: (message: string, error: unknown) => void;
  /** next-auth's sign-in and error page. Default: `"/login"`. */
  loginPath?: string;
}

/**
 * next-auth v4 options for a credentials sign-in against the upstream. The JWT keeps the
 * upstream tokens and their expiries, the login time and the display fields; the session that
 * the browser can read keeps display fields and expiry times only.
 */
export function createAuthOptions(deps: AuthOptionsDeps): AuthOptions {
  const { config, provider, endedSessions } = deps;
  const policy: LifetimePolicy = config.session;
  const loginPath = deps.loginPath ?? "/login";
  const cookieOptions = {
    httpOnly: true,
    sameSite: "lax" as const,
    path: "/",
    secure: config.secureCookies,
  };

  async function newestGenerationOf(claims: SessionClaims): Promise<SessionClaims> {
    if (deps.generations === undefined) return claims;
    let newest: NewestGeneration | null;
    try {
      newest = await newerGeneration(deps.generations, claims.sessionId, generationOf(claims));
    } catch {
      return claims; // Redis unreachable: this read keeps the cookie it was given.
    }
    if (newest === null) return claims;
    if (newest.tokens === null) {
      throw new BffError("session_expired", "an older cookie of a session that was refreshed");
    }
    return { ...claims, ...newest.tokens, generation: newest.generation };
  }

  async function assertLive(claims: SessionClaims): Promise<void> {
    if (sessionEndsAt(claims, policy) <= nowInSeconds())
      throw new BffError("session_expired", "expired");
    const ended = await endedSessions.isEnded({
      sessionId: claims.sessionId,
      sub: claims.user.sub,
      authTime: claims.authTime,
    });
    if (ended) throw new BffError("session_expired", "ended");
  }

  return {
    secret: config.secret,
    useSecureCookies: config.secureCookies,
    // The cookie never outlives the absolute limit; idle and absolute are checked from claims.
    session: { strategy: "jwt", maxAge: policy.absoluteLifetimeSeconds },
    jwt: { maxAge: policy.absoluteLifetimeSeconds },
    pages: { signIn: loginPath, error: loginPath },
    cookies: {
      sessionToken: { name: sessionCookieName(config.secureCookies), options: cookieOptions },
    },
    // Only the configured methods exist: with `code` alone, the credentials callback is a 404.
    providers: [
      ...(config.signInMethods.includes("password")
        ? [
            CredentialsProvider({
              name: "Username and password",
              credentials: {
                username: { label: "Username", type: "text" },
                password: { label: "Password", type: "password" },
              },
              // next-auth always passes the request; a direct call (tests) may not.
              authorize: (credentials, request?: Pick<RequestInternal, "headers">) =>
                authorizeWithUpstream(
                  {
                    provider,
                    limiter: deps.signInLimiter,
                    trustedProxyHops: config.trustedProxyHops,
                    log: deps.log,
                  },
                  credentials,
                  request?.headers,
                ),
            }),
          ]
        : []),
      ...(config.signInMethods.includes("code")
        ? [createCodeFlowProvider({ config, provider })]
        : []),
    ],
    callbacks: {
      // next-auth's default throws on a callbackUrl that does not parse (`http://[`,
      // `%2F%2Fevil.example`): a 500 from the sign-in callback. Ours never throws (catalogue A4).
      redirect({ url, baseUrl }) {
        return redirectTarget(url, baseUrl);
      },
      async jwt({ token, user }) {
        if (isSignedInUser(user)) {
          const now = nowInSeconds();
          const claims: SessionClaims = {
            sessionId: randomBytes(18).toString("base64url"),
            user: { ...user.upstreamUser },
            ...user.upstreamTokens,
            authTime: now,
            lastActivityAt: now,
            generation: 0,
            accessTokenIssuedAt: Date.now(),
          };
          return claims;
        }
        // Every later call (session reads, `update()`): the client's input is never trusted,
        // and session reads are not activity (the proxy records real navigation).
        const claims = readSessionClaims(token);
        if (claims === null) throw new BffError("session_expired", "not a session of ours");
        await assertLive(claims);
        // next-auth writes this back as the cookie: never an older generation than the newest
        // (a session read that started just before a refresh and ends after it).
        return newestGenerationOf(claims);
      },
      session({ token }) {
        const claims = readSessionClaims(token);
        if (claims === null) throw new BffError("session_expired", "not a session of ours");
        return toPublicSession(claims, policy);
      },
    },
    events: {
      async signOut({ token }) {
        const claims = readSessionClaims(token);
        if (claims !== null) await deps.endSession(claims);
      },
    },
    logger: nextAuthLogger(deps.log),
  };
}
