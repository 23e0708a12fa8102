import type { Dispatcher } from "undici";
import { logFunctions } from "../runtime/logger.js";
import type { SessionContext } from "../session/session-context.js";
import type { SessionClaims } from "../session/claims.js";
import { passesCsrfCheck } from "./csrf.js";
import { errorResponse } from "./errors.js";
import { answerToResponse, callUpstream, discardAnswer } from "./forward.js";
import { verdictOf } from "./answer-peek.js";
import { type ProxySession, readContextSession } from "../session/proxy-session.js";
import type { RefreshHook } from "./refresh-hook.js";
import { readRequestBody } from "./request-body.js";
import { requestHeaderAllowList, upstreamRequestHeaders } from "./request-headers.js";
import { defaultResponseContentTypes, responseHeaderAllowList } from "./response-headers.js";
import { clearSessionCookies } from "../session/clear-session-cookies.js";
import {
  type UpstreamPathPolicy,
  type UpstreamPathResult,
  refusePath,
  resolveUpstreamPath,
  routePathPolicy,
} from "./upstream-path.js";
import { upstreamPool } from "./upstream-pool.js";
import type { UpstreamProxyOptions } from "./upstream-options.js";
import { accessTokenDue } from "../session/token-due.js";
import { isBffError } from "../errors/bff-error.js";
import { sessionConcurrency } from "./session-concurrency.js";
import { answersInProxy } from "./proxy-fast-path.js";

/** The HTTP methods the upstream route serves. */
export const upstreamRouteMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;
/** One of {@link upstreamRouteMethods}. */
export type UpstreamRouteMethod = (typeof upstreamRouteMethods)[number];

/** Options of {@link createUpstreamRoute}: the app's settings and the parts the composition wires. */
export interface UpstreamRouteOptions extends UpstreamProxyOptions {
  /** Returns the app's BFF (built on first use). Required. */
  getBff: () => SessionContext;
  /** Where the route is mounted. Default `/api/upstream`. */
  mountPath?: string;
  /** Token refresh. Without it, an upstream 401 ends the session at once. Default: none. */
  refresh?: RefreshHook;
  /** With `refresh`: refresh before forwarding when the access token expires this soon. Default 30. */
  refreshSkewSeconds?: number;
  /** Test seam: the dispatcher to use instead of the shared pool. Default: the shared pool. */
  dispatcher?: Dispatcher;
  /** Where unexpected failures are reported (never with tokens). Default: JSON lines on stderr. */
  log?: (message: string, error: unknown) => void;
}

/** Next passes `{ params: Promise<{ path: string[] }> }` to a `[...path]` route. */
export interface UpstreamRouteContext {
  /** The route's dynamic segments; `path` holds the upstream path. */
  params?: Promise<Record<string, string | string[] | undefined>>;
}

/** A route handler as Next calls it for `[...path]`. */
export type UpstreamRouteHandler = (
  request: Request,
  context?: UpstreamRouteContext,
) => Promise<Response>;

/** What {@link createUpstreamRoute} returns: one handler per method, to export from `route.ts`. */
export type UpstreamRoute = Record<UpstreamRouteMethod, UpstreamRouteHandler> & {
  /** The same handler for any method (405 with `Allow` for the others). */
  handle: UpstreamRouteHandler;
  /** Whether `proxy.ts` may answer this request with `handle` (see `answersInProxy`). */
  answersInProxy: (request: Request) => boolean;
};

interface RouteState {
  bff: SessionContext;
  path: UpstreamPathPolicy;
  origin: string;
  basePath: string;
  allowedOrigins: ReadonlySet<string>;
  requestHeaders: ReadonlySet<string>;
  requestContentTypes: ReadonlySet<string>;
  answerPolicy: { responseHeaders: ReadonlySet<string>; responseContentTypes: ReadonlySet<string> };
  dispatcher: Dispatcher;
  bodyTimeoutMs: number;
  maxConcurrentPerSession: number;
  concurrencyWaitMs: number;
}

const allowHeader = upstreamRouteMethods.join(", ");
const lowerSet = (values: readonly string[]) => new Set(values.map((v) => v.toLowerCase()));

async function routeSegments(context: UpstreamRouteContext | undefined) {
  const params = context?.params === undefined ? undefined : await context.params;
  const values = params === undefined ? undefined : Object.values(params);
  if (values === undefined || values.length !== 1) return undefined;
  const [value] = values;
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value : [value];
}

/**
 * The proxy route handlers for `app/api/upstream/[...path]/route.ts`: the browser calls
 * `/api/upstream/<upstream path>` with `X-CSRF: 1`; the server checks the session, adds the
 * upstream access token and streams the request and the answer through, with allow-lists for
 * paths, headers and content types (issue 4, catalogue B1–B12).
 */
export function createUpstreamRoute(options: UpstreamRouteOptions): UpstreamRoute {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const mountPath = options.mountPath ?? "/api/upstream";
  const timeoutMs = options.timeoutMs ?? 10_000;
  const skewMs = (options.refreshSkewSeconds ?? 30) * 1000;
  const requestHeaders = requestHeaderAllowList(options.extraRequestHeaders);
  const answerPolicy = {
    responseHeaders: responseHeaderAllowList(options.extraResponseHeaders),
    responseContentTypes: lowerSet(options.responseContentTypes ?? defaultResponseContentTypes),
  };
  const path = routePathPolicy({
    mountPath,
    ...(options.allowedPathPrefixes ? { allowedPrefixes: options.allowedPathPrefixes } : {}),
    ...(options.segmentPattern ? { segmentPattern: options.segmentPattern } : {}),
  });
  const log = options.log ?? logFunctions().failure;
  const concurrency = sessionConcurrency();

  let state: RouteState | undefined;
  function stateFor(bff: SessionContext): RouteState {
    if (state?.bff === bff) return state;
    const upstream = new URL(options.upstreamUrl ?? bff.config.upstream.baseUrl);
    state = {
      bff,
      path: path(bff.config.upstream.pathPrefixes),
      origin: upstream.origin,
      basePath: upstream.pathname.replace(/\/+$/, ""),
      allowedOrigins: new Set(options.allowedOrigins ?? [new URL(bff.config.nextAuthUrl).origin]),
      requestHeaders,
      requestContentTypes: lowerSet(
        options.requestContentTypes ?? ["application/json", "application/vnd.api+json"],
      ),
      answerPolicy,
      dispatcher: options.dispatcher ?? upstreamPool(upstream.origin, options.pool),
      bodyTimeoutMs: options.bodyTimeoutMs ?? bff.config.upstreamRequests.bodyTimeoutSeconds * 1000,
      maxConcurrentPerSession:
        options.maxConcurrentPerSession ?? bff.config.upstreamRequests.maxConcurrentPerSession,
      concurrencyWaitMs: options.concurrencyWaitMs ?? 2_000,
    };
    return state;
  }

  /** Ends the session here (ended list, upstream revocation), evicts it, clears the cookie. */
  async function endSession(
    s: RouteState,
    session: Extract<ProxySession, { claims: SessionClaims }>,
    claims: SessionClaims[],
  ): Promise<Response> {
    s.bff.sessionCache?.delete(session.cookieValue);
    const ended = new Set<string>();
    for (const entry of claims) {
      if (ended.has(entry.sessionId)) continue;
      ended.add(entry.sessionId);
      try {
        await s.bff.endSession(entry);
      } catch (error) {
        log("ending the session failed", error);
      }
    }
    return errorResponse("session_expired", {
      setCookies: clearSessionCookies(
        s.bff.cookieName,
        session.cookieNames,
        s.bff.config.secureCookies,
      ),
    });
  }

  async function handle(request: Request, context?: UpstreamRouteContext): Promise<Response> {
    const method = request.method.toUpperCase();
    if (!(upstreamRouteMethods as readonly string[]).includes(method)) {
      return errorResponse("method_not_allowed", { headers: { allow: allowHeader } });
    }
    const s = stateFor(options.getBff());

    // 1. CSRF, path and session: all refused before anything reaches the upstream.
    if (!passesCsrfCheck(request, s.allowedOrigins)) return errorResponse("csrf");
    const target = resolveUpstreamPath(request.url, s.path, await routeSegments(context));
    if (!target.ok) return refusePath(target, s.path, log);
    const session = await readContextSession(s.bff, request.headers.get("cookie"));
    if (session.status === "none" || session.status === "invalid") {
      return errorResponse("not_signed_in");
    }
    if (session.status !== "active") {
      return errorResponse("session_expired", {
        setCookies: clearSessionCookies(
          s.bff.cookieName,
          session.cookieNames,
          s.bff.config.secureCookies,
        ),
      });
    }

    // One session's slow or many requests wait for no one else's (catalogue B10).
    const release = await concurrency.acquire(
      session.claims.sessionId,
      s.maxConcurrentPerSession,
      s.concurrencyWaitMs,
    );
    if (release === undefined) {
      return errorResponse("too_many_requests", { headers: { "retry-after": "1" } });
    }
    try {
      return await forwardActive(request, method, s, target, session);
    } finally {
      release();
    }
  }

  /** Body, refresh and the upstream call of a request with an active session. */
  async function forwardActive(
    request: Request,
    method: string,
    s: RouteState,
    target: Extract<UpstreamPathResult, { ok: true }>,
    session: Extract<ProxySession, { claims: SessionClaims }>,
  ): Promise<Response> {
    const active = session;

    // 2. The body: read in full, within the deadline, before an upstream connection is taken
    //    (a slow upload holds none).
    const read = await readRequestBody(request, method, {
      maxBytes: maxBodyBytes,
      timeoutMs: s.bodyTimeoutMs,
      contentTypes: s.requestContentTypes,
    });
    if (!read.ok) return errorResponse(read.code);
    const { body, contentLength } = read;

    // 3. Forward; refresh once when due or refused, and retry once.
    const refreshed: SessionClaims[] = [];
    const setCookies: string[] = [];
    let claims = session.claims;
    /**
     * At most one refresh per request. `refused`: the hook returned null (the refresh token is
     * dead): the session ends. `failed`: the hook threw (say, the token endpoint is down): the
     * session is kept and the request fails with 503 `refresh_unavailable`.
     */
    let refreshes = 0;
    async function refresh(
      reason: "due" | "rejected",
    ): Promise<"ok" | "refused" | "failed" | "stale"> {
      if (options.refresh === undefined || refreshes > 0) return "refused";
      let result: Awaited<ReturnType<RefreshHook>>;
      try {
        result = await options.refresh({
          claims,
          cookieValue: active.cookieValue,
          cookieNames: active.cookieNames,
          reason,
          request,
        });
      } catch (error) {
        // The refresher has logged why (or the Redis connection has, once per outage).
        if (!isBffError(error, "refresh_unavailable")) log("token refresh failed", error);
        return "failed";
      }
      if (result === null) return "refused";
      if ("stale" in result) return "stale";
      // Adopting the session's newest tokens is not a refresh: a refusal of those may still be.
      if (result.adopted !== true) refreshes += 1;
      refreshed.push(result.claims);
      setCookies.push(...result.setCookies);
      claims = result.claims;
      return "ok";
    }
    // An older cookie whose session lives on elsewhere: this browser signs in again.
    const staleNow = () => {
      body?.discard();
      return errorResponse("session_expired", {
        setCookies: clearSessionCookies(
          s.bff.cookieName,
          active.cookieNames,
          s.bff.config.secureCookies,
        ),
      });
    };
    const endNow = () => {
      body?.discard();
      // The newest claims first: their refresh token is the one to revoke.
      return endSession(s, active, [...refreshed].reverse().concat(active.claims));
    };
    // The token endpoint failed (unreachable, 5xx): 503, the session is kept (issue 5).
    const failNow = () => {
      body?.discard();
      return errorResponse("refresh_unavailable", { setCookies, headers: { "retry-after": "2" } });
    };

    if (options.refresh !== undefined && accessTokenDue(claims, skewMs, Date.now())) {
      const result = await refresh("due");
      if (result === "refused") return endNow();
      if (result === "stale") return staleNow();
      // A token that is due but not yet expired is still worth a try.
      if (result === "failed" && accessTokenDue(claims, 0, Date.now())) return failNow();
    }

    const send = async (bodyStream: AsyncIterable<Uint8Array> | null) => {
      const outcome = await callUpstream(
        {
          dispatcher: s.dispatcher,
          method,
          path: `${s.basePath}${target.path}${target.search}`,
          headers: upstreamRequestHeaders(
            request.headers,
            s.requestHeaders,
            claims.accessToken,
            contentLength,
          ),
          body: bodyStream,
          signal: request.signal,
          timeoutMs,
        },
        body,
      );
      return outcome;
    };

    // The provider's verdict on each answer, asked once (it may read the start of its body).
    const judged = async (sent: Awaited<ReturnType<typeof send>>) =>
      sent.ok ? await verdictOf(s.bff.provider, sent) : undefined;
    let outcome = await send(body?.replay() ?? null);
    let verdict = await judged(outcome);
    if (outcome.ok && verdict === "token_invalid") {
      await discardAnswer(outcome.answer);
      const replayable = body === null || (await body.readRest().catch(() => false));
      if (body?.tooLarge === true) return errorResponse("body_too_large");
      const result = replayable ? await refresh("rejected") : "refused";
      if (result === "refused") return endNow();
      if (result === "stale") return staleNow();
      if (result === "failed") return failNow();
      outcome = await send(body?.replay() ?? null);
      verdict = await judged(outcome);
      if (outcome.ok && verdict === "token_invalid") {
        await discardAnswer(outcome.answer);
        return endNow();
      }
    }
    if (!outcome.ok) {
      body?.discard();
      return errorResponse(outcome.code, { setCookies });
    }
    if (options.endSessionOnForbidden === true && verdict === "forbidden") {
      await discardAnswer(outcome.answer);
      return endNow();
    }
    return answerToResponse(outcome.answer, method, s.answerPolicy, setCookies);
  }

  const route = {
    handle,
    answersInProxy: (request: Request) =>
      (upstreamRouteMethods as readonly string[]).includes(request.method) &&
      answersInProxy(request, mountPath, maxBodyBytes),
  } as UpstreamRoute;
  for (const method of upstreamRouteMethods) route[method] = handle;
  return route;
}
