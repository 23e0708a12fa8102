import type { AuthOptions } from "next-auth";
import type { BffConfig } from "../config/bff-config.js";
import { providerFromConfig } from "../config/provider-from-config.js";
import type { UpstreamProvider } from "../providers/types.js";
import type { SessionClaims } from "../session/claims.js";
import { type EndedSessionStore, memoryEndedSessionStore } from "../session/ended-sessions.js";
import type { LifetimePolicy } from "../session/lifetime-policy.js";
import { nowInSeconds } from "../session/lifetime-policy.js";
import { sessionCookieName } from "../session/session-cookie.js";
import { type SessionReader, createSessionReader } from "../session/session-reader.js";
import { createAuthOptions } from "./auth-options.js";

/** Options of {@link createBff}. */
export interface CreateBffOptions {
  /** The validated configuration: `loadBffConfig(process.env)`. Required. */
  config: BffConfig;
  /** Default: the provider `UPSTREAM_KIND` names. */
  provider?: UpstreamProvider;
  /** Default: in memory, on `globalThis` (one web instance). */
  endedSessions?: EndedSessionStore;
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

  const authOptions = createAuthOptions({ config, provider, endedSessions, endSession, log });
  const readSession = createSessionReader({
    secret: config.secret,
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
    endSession,
    signOutEverywhere,
  };
}
