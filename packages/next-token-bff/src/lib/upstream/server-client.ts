import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import type { Dispatcher } from "undici";
import { JSON_API_MEDIA_TYPE, type JsonApiLink } from "../jsonapi/document.js";
import { upstreamPathOfLink } from "../jsonapi/links.js";
import { type UpstreamProblem, readUpstreamProblem } from "../jsonapi/problem.js";
import {
  rejectedRefreshPathFor,
  retriedCookieName,
  tokenFingerprint,
} from "../refresh/rejected-token.js";
import { readRenderSession, refreshPathFor } from "../refresh/render.js";
import { loginPathFor } from "../redirect/callback-url.js";
import { createPathPolicy, resolveUpstreamPath } from "./upstream-path.js";
import { upstreamRequestHeaders } from "./request-headers.js";
import { ANSWER_PEEK_BYTES } from "./answer-peek.js";
import { type UpstreamPoolOptions, upstreamPool } from "./upstream-pool.js";
import type { SessionContext } from "../session/session-context.js";
import type { SessionClaims } from "../session/claims.js";
import type { PublicSession } from "../session/public-session.js";
import { BffError } from "../errors/bff-error.js";

/** Options of {@link createServerUpstream}. */
export interface ServerUpstreamOptions {
  /** Returns the app's BFF. Required. */
  getBff: () => SessionContext;
  /**
   * The page (path and query) being rendered, or the page a server action belongs to: where
   * the person comes back to after a refresh or a new sign-in. Server components cannot see
   * their own URL, so the page says it, as with `requireSession`. Required.
   */
  callbackPath: string;
  /** Default `/login`. */
  loginPath?: string;
  /** The refresh route (`createSessionRefreshRoute`). Default `/api/session/refresh`. */
  refreshPath?: string;
  /** Upstream path prefixes that may be reached. Default: the configuration's `UPSTREAM_PATHS`. */
  allowedPathPrefixes?: string[];
  /** Until the upstream's response headers, and the longest pause in its body, ms. Default 10 s. */
  timeoutMs?: number;
  /** Largest answer read, bytes. Default 5 MiB. */
  maxResponseBytes?: number;
  /** The shared keep-alive pool's settings. Default: see {@link UpstreamPoolOptions} (the same pool as the proxy route's). */
  pool?: UpstreamPoolOptions;
  /** Test seam: the dispatcher to use instead of the shared pool. Default: the shared pool. */
  dispatcher?: Dispatcher;
}

/** A server upstream call's result; HTTP failures are a `problem`, never a throw. */
export type UpstreamResult<Document> =
  | {
      ok: true;
      status: number;
      /** The parsed JSON body; null for 204 and empty bodies. */
      document: Document | null;
    }
  | { ok: false; status: number; problem: UpstreamProblem };

/** Options of one server upstream call. */
export interface UpstreamRequestInit {
  /** Serialised as JSON and sent as `application/vnd.api+json`. Default: no body. */
  body?: unknown;
  /** Only `accept`, `accept-language` and `if-*` headers are sent; credentials are ours. Default: none. */
  headers?: Record<string, string>;
  /** Cancels the call. Default: none. */
  signal?: AbortSignal;
}

/** The client {@link createServerUpstream} returns: `request`, `get`, `linkPath` and the session. */
export interface ServerUpstreamClient {
  /**
   * Who the calls are made for: the display fields and the upstream user id (`sub`), for
   * decisions such as "may edit own". The tokens stay inside the client and are never exposed.
   */
  readonly user: SessionClaims["user"];
  /** What next-auth's session endpoint shows the browser: display fields and expiry times. */
  readonly session: PublicSession;
  /**
   * Calls the upstream with the session's access token. Never refreshes itself (a render cannot
   * set cookies): a refused token redirects through the refresh route.
   */
  request<Document>(
    method: "GET" | "POST" | "PATCH" | "DELETE",
    path: string,
    init?: UpstreamRequestInit,
  ): Promise<UpstreamResult<Document>>;
  /** `request("GET", path, init)`. */
  get<Document>(path: string, init?: UpstreamRequestInit): Promise<UpstreamResult<Document>>;
  /** The upstream path of an absolute link in an upstream document, or null if it is foreign. */
  linkPath(link: JsonApiLink | string | undefined): string | null;
}

const passedHeaders =
  /^(accept|accept-language|if-match|if-none-match|if-modified-since|if-unmodified-since)$/i;
const sentHeaders = new Set([
  "accept",
  "accept-language",
  "if-match",
  "if-none-match",
  "if-modified-since",
  "if-unmodified-since",
  "content-type",
]);

async function readLimited(body: Dispatcher.ResponseData["body"], limit: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > limit) {
      body.destroy();
      return null;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function networkProblem(error: unknown): UpstreamProblem {
  const code =
    typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  const timedOut = /TIMEOUT/.test(code);
  return {
    kind: "unavailable",
    status: timedOut ? 504 : 502,
    errors: [],
    fieldErrors: {},
    message: timedOut
      ? "The content service took too long to answer."
      : "The content service cannot be reached right now.",
  };
}

/**
 * The upstream for server components and server actions, with the proxy route's token handling
 * but no HTTP hop through it: the session from `cookies()` (idle and absolute limits, the
 * ended-session list), the bearer token added here, undici's shared keep-alive pool (never
 * Next's cached `fetch`). It never refreshes (a render cannot set cookies):
 * - no session, or an ended one → `redirect('/login?callbackUrl=…')`;
 * - an access token past its expiry (`proxy.ts` did not refresh it) → through the refresh
 *   route and back;
 * - the upstream refuses a token that is not due → through the refresh route with
 *   `rejected=…` (it refreshes at once); refused again right after → the session is ended and
 *   the person signs in again.
 * A 403 is a result like any other (`problem.kind === "forbidden"`): the person stays signed in.
 */
export async function createServerUpstream(
  options: ServerUpstreamOptions,
): Promise<ServerUpstreamClient> {
  const loginPath = options.loginPath ?? "/login";
  const refreshPath = options.refreshPath ?? "/api/session/refresh";
  const state = await readRenderSession(options.getBff);
  if (state.status === "expired_token") redirect(refreshPathFor(options.callbackPath, refreshPath));
  if (state.status !== "active") redirect(loginPathFor(options.callbackPath, loginPath));

  const bff = options.getBff();
  const { claims } = state;
  const base = new URL(bff.config.upstream.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, "");
  const allowedPathPrefixes = options.allowedPathPrefixes ?? bff.config.upstream.pathPrefixes;
  const policy = createPathPolicy({ mountPath: "/upstream", allowedPrefixes: allowedPathPrefixes });
  const dispatcher = options.dispatcher ?? upstreamPool(base.origin, options.pool);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxResponseBytes = options.maxResponseBytes ?? 5 * 1024 * 1024;

  /** The access token was refused: refresh through the route, or end a session already retried. */
  async function tokenRefused(): Promise<never> {
    const store = await cookies();
    const mark = store.get(retriedCookieName(bff.config.secureCookies))?.value;
    if (mark !== undefined && mark === tokenFingerprint(claims.accessToken)) {
      try {
        await bff.endSession(claims);
      } catch (error) {
        bff.log("ending the session failed", error);
      }
      redirect(loginPathFor(options.callbackPath, loginPath));
    }
    redirect(rejectedRefreshPathFor(refreshPath, options.callbackPath, claims.accessToken));
  }

  async function request<Document>(
    method: "GET" | "POST" | "PATCH" | "DELETE",
    path: string,
    init: UpstreamRequestInit = {},
  ): Promise<UpstreamResult<Document>> {
    // The same path rules as the proxy route: one decoding, plain segments, allowed prefixes.
    const target = path.startsWith("/")
      ? resolveUpstreamPath(`http://server-client.invalid/upstream${path}`, policy)
      : ({ ok: false, reason: "malformed" } as const);
    if (!target.ok) {
      const code = target.reason === "malformed" ? "bad_path" : "path_not_allowed";
      const allowed = `allowed: ${allowedPathPrefixes.join(", ")} (UPSTREAM_PATHS)`;
      throw new BffError(code, `refused upstream path ${JSON.stringify(path)}; ${allowed}`);
    }

    const given = new Headers({ accept: JSON_API_MEDIA_TYPE });
    for (const [name, value] of Object.entries(init.headers ?? {})) {
      if (passedHeaders.test(name)) given.set(name, value);
    }
    let body: string | null = null;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      given.set("content-type", JSON_API_MEDIA_TYPE);
    }
    // The same rule as the proxy route's: allow-listed headers, then our bearer token.
    const headers = upstreamRequestHeaders(given, sentHeaders, claims.accessToken, null);

    let answer: Dispatcher.ResponseData;
    try {
      answer = await dispatcher.request({
        method,
        path: `${basePath}${target.path}${target.search}`,
        headers,
        body,
        signal: init.signal ?? null,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
    } catch (error) {
      return { ok: false, status: networkProblem(error).status, problem: networkProblem(error) };
    }

    let text: string | null;
    try {
      text = await readLimited(answer.body, maxResponseBytes);
    } catch (error) {
      return { ok: false, status: networkProblem(error).status, problem: networkProblem(error) };
    }
    const contentType = answer.headers["content-type"];
    const type = Array.isArray(contentType) ? contentType[0] : contentType;
    const status = answer.statusCode;
    // What the proxy route's `classify` sees: status, headers, the start of an error's body.
    const peek = status >= 400 ? Buffer.from(text ?? "").subarray(0, ANSWER_PEEK_BYTES) : null;
    const bodyPeek = peek === null ? "" : peek.toString("utf8");
    const verdict = bff.provider.classify({ status, headers: answer.headers, body: bodyPeek });
    if (verdict === "token_invalid") return tokenRefused();
    if (text === null) {
      const problem = readUpstreamProblem(502, null, "");
      return {
        ok: false,
        status: 502,
        problem: { ...problem, message: "The answer was too large." },
      };
    }
    if (status >= 200 && status < 300) {
      if (text.length === 0 || status === 204) return { ok: true, status, document: null };
      try {
        return { ok: true, status, document: JSON.parse(text) as Document };
      } catch {
        const problem = readUpstreamProblem(502, null, "");
        return { ok: false, status: 502, problem };
      }
    }
    return { ok: false, status, problem: readUpstreamProblem(status, type, text) };
  }

  return {
    user: state.claims.user,
    session: state.session,
    request,
    get: (path, init) => request("GET", path, init),
    linkPath: (link) => upstreamPathOfLink(link, bff.config.upstream.baseUrl, allowedPathPrefixes),
  };
}
