import type { BffConfig } from "../config/bff-config.js";
import type { FailureLog } from "../runtime/logger.js";
import type { UpstreamProvider } from "../providers/types.js";
import type { SessionClaims } from "./claims.js";
import type { EndedSessionStore } from "./ended-sessions.js";
import type { SessionGenerations } from "./session-generations.js";
import { type LifetimePolicy, nowInSeconds } from "./lifetime-policy.js";
import {
  type SessionCache,
  type SessionCacheOptions,
  createSessionCache,
} from "./session-cache.js";
import { sessionCookieName } from "./session-cookie.js";
import { type SessionDecoder, createSessionDecoder } from "./session-decoder.js";
import { type SessionEncoder, createSessionEncoder } from "./session-encoder.js";
import { type SessionReader, createSessionReader } from "./session-reader.js";

/**
 * What every part that reads, writes or ends sessions shares: the configuration, the provider,
 * the cookie's name and key, the cache of decoded cookies, the ended-session list and the
 * lifetime rules. Made once per app by {@link createSessionContext}.
 */
export interface SessionContext {
  /** The checked configuration. */
  config: BffConfig;
  /** The upstream provider. */
  provider: UpstreamProvider;
  /** Where ended sessions (sign-out, sign-out everywhere) are kept. */
  endedSessions: EndedSessionStore;
  /** The newest generation of each session (a refresh makes a new one). */
  generations: SessionGenerations;
  /** The idle timeout and absolute lifetime of sessions. */
  policy: LifetimePolicy;
  /** The session cookie's name (`__Host-` prefixed with secure cookies); large values are split into numbered chunks. */
  cookieName: string;
  /** Reads and checks the session of a request's cookies. */
  readSession: SessionReader;
  /** Decrypts a session cookie value (no rules applied: `readSession` applies them). */
  decodeSession: SessionDecoder;
  /** Encrypts claims into a session cookie value. */
  encodeSession: SessionEncoder;
  /** Where failures the session survives are reported (never with tokens). */
  log: FailureLog;
  /** What `decodeSession` found for each recent cookie value. Null when off. */
  sessionCache: SessionCache | null;
  /** Ends this session here and revokes its upstream refresh token (best effort upstream). */
  endSession: (claims: SessionClaims) => Promise<void>;
  /**
   * Ends every session of this person here, and revokes all their upstream tokens where the
   * provider can (`revokeAll`), else this session's refresh token only.
   */
  signOutEverywhere(claims: SessionClaims): Promise<{ upstreamRevokedAll: boolean }>;
}

export interface SessionContextOptions {
  config: BffConfig;
  provider: UpstreamProvider;
  endedSessions: EndedSessionStore;
  generations: SessionGenerations;
  /** `false` turns the cache off. Default: `{ maxEntries: 1000, maxAgeMs: 300000 }`. */
  sessionCache?: SessionCacheOptions | false;
  /** Where a failed upstream revocation is reported. */
  log: FailureLog;
}

export function createSessionContext(options: SessionContextOptions): SessionContext {
  const { config, provider, endedSessions, generations, log } = options;
  const policy: LifetimePolicy = config.session;
  const cookieName = sessionCookieName(config.secureCookies);

  // Keep the ended mark until the cookie could no longer pass the absolute limit anyway.
  const keepUntil = (claims: SessionClaims) => claims.authTime + policy.absoluteLifetimeSeconds;

  async function endSession(claims: SessionClaims): Promise<void> {
    await endedSessions.endSession(claims.sessionId, keepUntil(claims));
    try {
      // A provider whose logout needs a live bearer gets one: refreshed first when expired.
      const live =
        provider.refreshBeforeRevoke === true && claims.accessTokenExpiresAt - 5_000 <= Date.now()
          ? await provider.refresh(claims.refreshToken)
          : claims;
      await provider.revoke(live);
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

  // The keys are derived (HKDF) once per app, not once per reader, route and refresher.
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
    generations,
    policy,
    cookieName,
    readSession,
    decodeSession,
    encodeSession: createSessionEncoder(config.secret),
    sessionCache,
    log,
    endSession,
    signOutEverywhere,
  };
}
