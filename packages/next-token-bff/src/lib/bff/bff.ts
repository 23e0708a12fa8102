import type { BffConfig } from "../config/bff-config.js";
import { type Logger, logFunctions } from "../runtime/logger.js";
import { providerFromConfig } from "../providers/from-config.js";
import type { UpstreamProvider } from "../providers/types.js";
import { type EndedSessionStore, memoryEndedSessionStore } from "../session/ended-sessions.js";
import type { SessionCacheOptions } from "../session/session-cache.js";
import {
  type SessionGenerations,
  memorySessionGenerations,
} from "../session/session-generations.js";
import { type SessionContext, createSessionContext } from "../session/session-context.js";
import { createAuthOptions } from "../sign-in/auth-options.js";
import { type SignInLimiter, createSignInLimiter } from "../sign-in/sign-in-limiter.js";

/** Options of {@link createBffCore}. */
export interface BffCoreOptions {
  /** The validated configuration: `loadBffConfig(process.env)`. Required. */
  config: BffConfig;
  /** Default: the provider `UPSTREAM_KIND` names. */
  provider?: UpstreamProvider;
  /** Default: in memory, on `globalThis` (one web instance). */
  endedSessions?: EndedSessionStore;
  /** The newest generation of each session. Default: in memory, on `globalThis`. */
  generations?: SessionGenerations;
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
  /** Where best-effort failures (revocation, ended-list writes) are reported. Default: JSON lines on stderr. */
  log?: (message: string, error: unknown) => void;
  /** The app's logger, for the built-in provider (refused refreshes, missing refresh tokens). Default: stderr. */
  logger?: Logger;
}

/** The session context plus next-auth's options: what the sign-in route needs on top. */
export interface BffCore extends SessionContext {
  /** The next-auth options for the auth route and `getServerSession`. */
  authOptions: ReturnType<typeof createAuthOptions>;
}

/** Wires configuration, provider, session rules and next-auth options together. */
export function createBffCore(options: BffCoreOptions): BffCore {
  const { config } = options;
  const provider = options.provider ?? providerFromConfig(config, options.logger);
  const endedSessions = options.endedSessions ?? memoryEndedSessionStore();
  const log = options.log ?? logFunctions().failure;
  const context = createSessionContext({
    config,
    provider,
    endedSessions,
    generations: options.generations ?? memorySessionGenerations(),
    sessionCache: options.sessionCache,
    log,
  });
  const authOptions = createAuthOptions({
    config,
    provider,
    endedSessions,
    generations: context.generations,
    endSession: context.endSession,
    signInLimiter: options.signInLimiter ?? createSignInLimiter({ limits: config.signInLimits }),
    log,
  });
  return { ...context, authOptions };
}
