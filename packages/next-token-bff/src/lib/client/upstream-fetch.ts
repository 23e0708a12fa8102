"use client";

import { signOut } from "next-auth/react";
import { JSON_API_MEDIA_TYPE } from "../jsonapi/document.js";
import { type UpstreamProblem, readUpstreamProblem } from "../jsonapi/problem.js";
import { loginPathFor } from "../redirect/callback-url.js";
import { BffError } from "../errors/bff-error.js";

/** Why the session ended, as other tabs learn it (`SessionEndedListener`). */
export type SessionEndReason = "expired";

/** The channel other tabs of this origin listen on. */
export const SESSION_CHANNEL = "next-token-bff.session";

/** What one tab tells the others on `SESSION_CHANNEL` when the session ended. */
export interface SessionEndedMessage {
  /** Always `session-ended`. */
  type: "session-ended";
  /** Why it ended, when known. */
  reason: SessionEndReason | null;
}

/** Options of {@link upstreamFetch}. */
export interface UpstreamFetchInit {
  /** Default: `GET`. */
  method?: "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Serialised as JSON and sent as `application/vnd.api+json`. Default: no body. */
  body?: unknown;
  /** Extra request headers (`X-CSRF` and the JSON:API media types are always set). Default: none. */
  headers?: Record<string, string>;
  /** Cancels the request. Default: none. */
  signal?: AbortSignal;
  /** Where the proxy route is mounted. Default `/api/upstream`. */
  mountPath?: string;
  /** Default `/login`. */
  loginPath?: string;
}

/** `{ok: true, status, document}` or `{ok: false, status, problem}`; never throws for HTTP errors. */
export type UpstreamFetchResult<Document> =
  | { ok: true; status: number; document: Document | null }
  | { ok: false; status: number; problem: UpstreamProblem };

/** The sign-in page for this tab's current page, with the reason shown there. */
export function loginUrlForReason(reason: SessionEndReason | null, loginPath = "/login"): string {
  const { pathname, search, hash } = window.location;
  const target = new URL(
    loginPathFor(`${pathname}${search}${hash}`, loginPath),
    window.location.origin,
  );
  if (reason !== null) target.searchParams.set("reason", reason);
  return `${target.pathname}${target.search}`;
}

let ending: Promise<void> | null = null;

/**
 * The session is over (the proxy said `session_expired` or `not_signed_in`): tell the other
 * tabs why, sign out here (next-auth clears what is left and broadcasts its own sign-out), then
 * go to the sign-in page with this page as `callbackUrl`. Runs once however many calls fail.
 */
export function endSessionInBrowser(
  reason: SessionEndReason | null,
  loginPath = "/login",
): Promise<void> {
  ending ??= (async () => {
    try {
      const channel = new BroadcastChannel(SESSION_CHANNEL);
      channel.postMessage({ type: "session-ended", reason } satisfies SessionEndedMessage);
      channel.close();
    } catch {
      // no BroadcastChannel: next-auth's own sign-out broadcast still reaches the other tabs
    }
    try {
      await signOut({ redirect: false });
    } catch {
      // the cookie is already cleared by the proxy; signing out is a courtesy here
    }
    window.location.assign(loginUrlForReason(reason, loginPath));
  })();
  return ending;
}

function upstreamUrl(path: string, mountPath: string): string {
  const mount = mountPath.replace(/\/+$/, "");
  if (path.startsWith(`${mount}/`)) return path;
  if (!path.startsWith("/") || path.startsWith("//")) {
    throw new BffError(
      "bad_path",
      `upstreamFetch takes an upstream path such as /jsonapi/...: ${path}`,
    );
  }
  return `${mount}${path}`;
}

/**
 * `fetch` for client components, through our proxy route: `path` is the upstream path
 * (`/jsonapi/node/article?…`) or a proxy path from `proxyPathOfLink`. Adds `X-CSRF: 1` and the
 * JSON:API media types, never caches, and reads errors by content type. When the proxy says the
 * session is over it signs out (other tabs learn why) and sends the person to the sign-in page
 * with this page as `callbackUrl`; the result is then `problem.kind === "session_ended"`.
 */
export async function upstreamFetch<Document>(
  path: string,
  init: UpstreamFetchInit = {},
): Promise<UpstreamFetchResult<Document>> {
  const loginPath = init.loginPath ?? "/login";
  const headers: Record<string, string> = {
    accept: JSON_API_MEDIA_TYPE,
    ...init.headers,
    "X-CSRF": "1",
  };
  let body: string | undefined;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers["content-type"] = JSON_API_MEDIA_TYPE;
  }
  let response: Response;
  try {
    response = await fetch(upstreamUrl(path, init.mountPath ?? "/api/upstream"), {
      method: init.method ?? "GET",
      headers,
      ...(body !== undefined ? { body } : {}),
      cache: "no-store",
      credentials: "same-origin",
      ...(init.signal ? { signal: init.signal } : {}),
    });
  } catch (error) {
    if (init.signal?.aborted === true) throw error;
    const problem = readUpstreamProblem(502, null, "");
    return { ok: false, status: 0, problem: { ...problem, message: "You appear to be offline." } };
  }

  const text = await response.text();
  const contentType = response.headers.get("content-type");
  if (response.ok) {
    if (text.length === 0) return { ok: true, status: response.status, document: null };
    try {
      return { ok: true, status: response.status, document: JSON.parse(text) as Document };
    } catch {
      return { ok: false, status: 502, problem: readUpstreamProblem(502, null, "") };
    }
  }

  const problem = readUpstreamProblem(response.status, contentType, text);
  if (response.status === 401) {
    // Only the proxy's own 401s come here (it refreshes and retries upstream 401s itself).
    void endSessionInBrowser(problem.code === "not_signed_in" ? null : "expired", loginPath);
    return { ok: false, status: 401, problem: { ...problem, kind: "session_ended" } };
  }
  if (problem.code === "refresh_unavailable") {
    problem.message =
      "The sign-in service cannot be reached right now. You are still signed in; please try again.";
  }
  return { ok: false, status: response.status, problem };
}
