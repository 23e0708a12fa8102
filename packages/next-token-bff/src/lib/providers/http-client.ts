import { Agent, request } from "undici";
import { BffError } from "../errors/bff-error.js";
import { processSingleton } from "../runtime/process-singleton.js";
import { bearerHeader } from "./bearer.js";

/** An upstream answer with its body read: JSON when it parses, otherwise null. */
export interface UpstreamResponse {
  /** The HTTP status. */
  status: number;
  /** Response headers, lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body, or null when it is not JSON. */
  body: unknown;
}

/** Options of {@link callUpstream}. */
export interface UpstreamRequest {
  /** Default: `POST` with a body, else `GET`. */
  method?: "GET" | "POST" | "DELETE";
  /** Extra request headers. Default: none. */
  headers?: Record<string, string>;
  /** Sent form-encoded (`application/x-www-form-urlencoded`), as OAuth token endpoints expect. Default: none. */
  form?: Record<string, string | undefined>;
  /** Sent as JSON when there is no `form`. Default: none. */
  json?: unknown;
  /** Sent as `Authorization: Bearer <token>`. Default: none. */
  bearer?: string;
  /** Until the answer's headers, and the longest pause in its body, ms. Default: 10 s. */
  timeoutMs?: number;
}

/**
 * One keep-alive connection pool per process, kept on `globalThis` because Next loads this
 * module once per layer (proxy, pages, route handlers). Next's patched `fetch` is avoided on
 * purpose: it caches, and it costs more per call.
 */
function upstreamAgent(): Agent {
  return processSingleton(
    "upstream-agent",
    () =>
      new Agent({
        keepAliveTimeout: 10_000,
        connections: 64,
        headersTimeout: 10_000,
        bodyTimeout: 10_000,
        connect: { timeout: 5_000 },
      }),
  );
}

/**
 * Calls the upstream and reads the whole body. Network failures and timeouts become
 * `upstream_unavailable`; HTTP error statuses are returned for the caller to interpret.
 */
export async function callUpstream(
  url: string,
  init: UpstreamRequest = {},
): Promise<UpstreamResponse> {
  const headers: Record<string, string> = { accept: "application/json", ...init.headers };
  let body: string | undefined;
  if (init.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = toForm(init.form);
  } else if (init.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(init.json);
  }
  if (init.bearer) headers.authorization = bearerHeader(init.bearer);

  try {
    const response = await request(url, {
      method: init.method ?? (body === undefined ? "GET" : "POST"),
      headers,
      body,
      dispatcher: upstreamAgent(),
      ...(init.timeoutMs === undefined
        ? {}
        : { headersTimeout: init.timeoutMs, bodyTimeout: init.timeoutMs }),
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, body: parseJson(text) };
  } catch (error) {
    throw new BffError(
      "upstream_unavailable",
      `Upstream request to ${new URL(url).origin} failed`,
      {
        cause: error,
      },
    );
  }
}

function toForm(fields: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) params.set(key, value);
  }
  return params.toString();
}

function parseJson(text: string): unknown {
  if (text.length === 0) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** One header value, whichever way undici reports it. */
export function headerValue(response: UpstreamResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
