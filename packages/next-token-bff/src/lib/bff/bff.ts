import type { AuthOptions } from "next-auth";
import type { BffConfig } from "../config/bff-config.js";
import { providerFromConfig } from "../providers/from-config.js";
import type { UpstreamProvider } from "../providers/types.js";
import type { SessionClaims } from "../session/claims.js";
import { type EndedSessionStore, memoryEndedSessionStore } from "../session/ended-sessions.js";
import type { LifetimePolicy } from "../session/lifetime-policy.js";
import { nowInSeconds } from "../session/lifetime-policy.js";
import { sessionCookieName } from "../session/session-cookie.js";
import { type SessionReader, createSessionReader } from "../session/session-reader.js";
import { type SessionDecoder, createSessionDecoder } from "../session/session-decoder.js";
import { createAuthOptions } from "../sign-in/auth-options.js";
import { type SignInLimiter, createSignInLimiter } from "../sign-in/sign-in-limiter.js";
import {
  type SessionCache,
  type SessionCacheOptions,
  createSessionCache,
} from "../session/session-cache.js";

/** Options of {@link createBff}. */
export interface CreateBffOptions {
  /** The validated configuration: `loadBffConfig(process.env)`. Required. */
  config: BffConfig;
  /** Default: the provider `UPSTREAM_KIND` names. */
  provider?: UpstreamProvider;
  /** Default: in memory, on `globalThis` (one web instance). */
  endedSessions?: EndedSessionStore;
  /**
   * Failed sign-ins per browser address and per account. Default: counted in this process
   * with `config.signInLimits`; pass `createSignInLimiter({ limits, redis })` to share the
   * counts between instances.
   */
  signInLimiter?: SignInLimiter;
  /**
   * Decoded sessions by cookie value, shared by every reader (pages, `proxy.ts`, the upstream
   * route, the refresher); `false` turns it off. At most 1,000 entries and 5 minutes.
   * Default: on, `{ maxEntries: 1000, maxAgeMs: 300000 }`.
   */
  sessionCache?: SessionCacheOptions | false;
  /** Where best-effort failures (revocation, ended-list writes) are reported. Default: `console.error`. */
  log?: (message: string, error: unknown) => void;
}

/**
 * The app's BFF: configuration, provider, session policy, next-auth options and the session
 * reader, made once by {@link createBff} and handed to every route, page and `proxy.ts` through a
 * `getBff()` function.
 */
export interface Bff {
  /** The checked configuration. */
  config: BffConfig;
  /** The upstream provider built from `config`. */
  provider: UpstreamProvider;
  /** Where ended sessions (sign-out, sign-out everywhere) are kept. */
  endedSessions: EndedSessionStore;
  /** The idle timeout and absolute lifetime of sessions. */
  policy: LifetimePolicy;
  /** The name of next-auth's session cookie (`__Host-` prefixed with secure cookies); large values are split into numbered chunks. */
  cookieName: string;
  /** The next-auth options for the `[...nextauth]` route and `getServerSession`. */
  authOptions: AuthOptions;
  /** Reads and checks the session of a request's cookies. */
  readSession: SessionReader;
  /**
   * Decrypts a session cookie value (no rules applied: `readSession` applies them). Its key is
   * derived once, here: the session reader, the upstream route and the refresher all use it.
   */
  decodeSession: SessionDecoder;
  /**
   * What `decodeSession` found for each recent cookie value, so a cookie seen again (the next
   * navigation, the page's render, every API call) is not decrypted again. Null when off.
   */
  sessionCache: SessionCache | null;
  /** Ends this session here and revokes its upstream refresh token (best effort upstream). */
  endSession(claims: SessionClaims): Promise<void>;
  /**
   * Ends every session of this person here, and revokes all their upstream tokens where the
   * provider can (`revokeAll`), else this session's refresh token only.
   */
  signOutEverywhere(claims: SessionClaims): Promise<{ upstreamRevokedAll: boolean }>;
}

/** Wires configuration, provider, session rules and next-auth options together. */
export function createBff(options: CreateBffOptions): Bff {
  const { config } = options;
  const provider = options.provider ?? providerFromConfig(config);
  const endedSessions = options.endedSessions ?? memoryEndedSessionStore();
  const policy: LifetimePolicy = config.session;
  const cookieName = sessionCookieName(config.secureCookies);
  const log =
    options.log ??
    ((message: string, error: unknown) => {
      console.error(`[next-token-bff] ${message}:`, error instanceof Error ? error.message : error);
    });

  // Keep the ended mark until the cookie could no longer pass the absolute limit anyway.
  const keepUntil = (claims: SessionClaims) => claims.authTime + policy.absoluteLifetimeSeconds;

  async function endSession(claims: SessionClaims): Promise<void> {
    await endedSessions.endSession(claims.sessionId, keepUntil(claims));
    try {
      await provider.revoke(claims);
    } catch (error) {
      log("upstream revocation failed (the session is ended here all the same)", error);
    }
  }

  async function signOutEverywhere(claims: SessionClaims) {
    const now = nowInSeconds();
    await endedSessions.endUserSessions(claims.user.sub, now, now + policy.absoluteLifetimeSeconds);
    if (provider.revokeAll) {
      await provider.revokeAll(claims);
      return { upstreamRevokedAll: true };
    }
    await endSession(claims);
    return { upstreamRevokedAll: false };
  }

  const signInLimiter =
    options.signInLimiter ?? createSignInLimiter({ limits: config.signInLimits });
  const authOptions = createAuthOptions({
    config,
    provider,
    endedSessions,
    endSession,
    signInLimiter,
    log,
  });
  // The key is derived (HKDF) once per BFF, not once per reader, route and refresher (issue 7).
  const decodeSession = createSessionDecoder(config.secret);
  const sessionCache =
    options.sessionCache === false ? null : createSessionCache(options.sessionCache);
  const readSession = createSessionReader({
    secret: config.secret,
    decode: decodeSession,
    cache: sessionCache,
    cookieName,
    policy,
    endedSessions,
  });

  return {
    config,
    provider,
    endedSessions,
    policy,
    cookieName,
    authOptions,
    readSession,
    decodeSession,
    sessionCache,
    endSession,
    signOutEverywhere,
  };
}
