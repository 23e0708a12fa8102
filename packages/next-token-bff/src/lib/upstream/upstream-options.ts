import type { UpstreamPoolOptions } from "./upstream-pool.js";

/** What an app may set of the upstream proxy (`createBff({ upstream })`). */
export interface UpstreamProxyOptions {
  /** Upstream path prefixes that may be reached. Default: the configuration's `UPSTREAM_PATHS`. */
  allowedPathPrefixes?: string[];
  /** What a decoded path segment may look like. Default `/^[A-Za-z0-9_~.-]+$/`. */
  segmentPattern?: RegExp;
  /** Default: the configured `UPSTREAM_URL`. A path in it is kept as a base path. */
  upstreamUrl?: string;
  /** Origins unsafe methods may come from. Default: the origin of `NEXTAUTH_URL`. */
  allowedOrigins?: string[];
  /** Request headers forwarded besides the defaults (never credentials or routing headers). Default: none. */
  extraRequestHeaders?: string[];
  /** Response headers passed back besides the defaults (never cookies or CORS). Default: none. */
  extraResponseHeaders?: string[];
  /** Media types a request body may have. Default JSON and JSON:API. */
  requestContentTypes?: string[];
  /** Media types served back. Default JSON, JSON:API and problem+json. */
  responseContentTypes?: string[];
  /** Largest request body, bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /**
   * How long a request body may take to arrive in full, ms; it is read before an upstream
   * connection is taken, and 408 `request_timeout` answers a slower one.
   * Default: `UPSTREAM_REQUEST_BODY_TIMEOUT` (30 s).
   */
  bodyTimeoutMs?: number;
  /**
   * Proxied requests one session may have in flight in this process; a request beyond waits up
   * to `concurrencyWaitMs` for a slot, then gets 429 `too_many_requests` with `Retry-After`.
   * Default: `UPSTREAM_MAX_CONCURRENT_PER_SESSION` (16).
   */
  maxConcurrentPerSession?: number;
  /** How long a request over `maxConcurrentPerSession` waits for a slot, ms. Default 2 s. */
  concurrencyWaitMs?: number;
  /** Until the upstream's response headers, and the longest pause in its body, ms. Default 10 s. */
  timeoutMs?: number;
  /** The shared undici keep-alive pool's settings. Default: see {@link UpstreamPoolOptions}. */
  pool?: UpstreamPoolOptions;
  /** Also end the session on an upstream 403 (for upstreams that answer 403 to dead tokens). Default: `false`. */
  endSessionOnForbidden?: boolean;
}
