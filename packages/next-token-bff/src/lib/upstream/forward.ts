import type { IncomingHttpHeaders } from "node:http";
import { Readable } from "node:stream";
import type { Dispatcher } from "undici";
import { type UpstreamRouteErrorCode, errorResponse } from "./errors.js";
import { browserResponseHeaders, mediaTypeOf } from "./response-headers.js";
import { isBffError } from "../errors/bff-error.js";

export interface UpstreamCall {
  dispatcher: Dispatcher;
  method: Dispatcher.HttpMethod;
  /** Path and query on the upstream origin, already checked. */
  path: string;
  headers: Record<string, string>;
  body: AsyncIterable<Uint8Array> | null;
  /** The browser's request signal: a disconnect aborts the upstream request. */
  signal: AbortSignal;
  /** Time until the upstream's response headers, and the longest pause inside its body. */
  timeoutMs: number;
}

export interface UpstreamAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** undici's body, or (after `classify` looked at an error answer) a stream that replays it. */
  body: Readable & { dump?: (options: { limit: number }) => Promise<void> };
}

export type UpstreamOutcome =
  | { ok: true; answer: UpstreamAnswer }
  | {
      ok: false;
      code: Extract<
        UpstreamRouteErrorCode,
        "upstream_unreachable" | "upstream_timeout" | "body_too_large"
      >;
      aborted: boolean;
    };

const timeoutCodes = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

/** One upstream request. Redirects are not followed (a plain undici dispatcher never does). */
export async function callUpstream(
  call: UpstreamCall,
  bodyState: { tooLarge: boolean } | null,
): Promise<UpstreamOutcome> {
  try {
    const response: Dispatcher.ResponseData = await call.dispatcher.request({
      method: call.method,
      path: call.path,
      headers: call.headers,
      body: call.body === null ? null : Readable.from(call.body, { objectMode: false }),
      signal: call.signal,
      headersTimeout: call.timeoutMs,
      bodyTimeout: call.timeoutMs,
    });
    return {
      ok: true,
      answer: { status: response.statusCode, headers: response.headers, body: response.body },
    };
  } catch (error) {
    if (bodyState?.tooLarge === true || isBffError(error, "body_too_large")) {
      return { ok: false, code: "body_too_large", aborted: false };
    }
    const code = errorCode(error);
    if (code !== undefined && timeoutCodes.has(code)) {
      return { ok: false, code: "upstream_timeout", aborted: false };
    }
    return { ok: false, code: "upstream_unreachable", aborted: call.signal.aborted };
  }
}

export interface AnswerPolicy {
  responseHeaders: ReadonlySet<string>;
  responseContentTypes: ReadonlySet<string>;
}

const statusesWithoutBody = new Set([204, 205, 304]);

/**
 * The browser's response to an upstream answer: allow-listed headers, our protective headers,
 * the body streamed. Redirects and content types outside the allow-list are refused with 502,
 * so nothing but data is ever served on our origin (catalogue B5, B6).
 */
export function answerToResponse(
  answer: UpstreamAnswer,
  method: string,
  policy: AnswerPolicy,
  setCookies: readonly string[],
): Response {
  const { status } = answer;
  if (status >= 300 && status < 400 && status !== 304) {
    dropAnswer(answer);
    return errorResponse("upstream_redirect", { setCookies });
  }
  const withoutBody = method === "HEAD" || statusesWithoutBody.has(status);
  const mediaType = mediaTypeOf(answer.headers);
  const emptyBody = answer.headers["content-length"] === "0";
  if (!withoutBody && !emptyBody) {
    if (mediaType === undefined || !policy.responseContentTypes.has(mediaType)) {
      dropAnswer(answer);
      return errorResponse("upstream_content_type", { setCookies });
    }
  }
  const headers = browserResponseHeaders(answer.headers, policy.responseHeaders, setCookies);
  if (withoutBody || emptyBody) {
    void discardAnswer(answer);
    return new Response(null, { status, headers });
  }
  return new Response(toWebStream(answer.body), { status, headers });
}

const ignore = () => {};

/**
 * The upstream body as a web stream, pulled chunk by chunk. Not `Readable.toWeb`: on Node 20
 * it throws an uncaught "Controller is already closed" when the browser cancels mid-body.
 */
function toWebStream(body: UpstreamAnswer["body"]): ReadableStream<Uint8Array> {
  const chunks = body[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done === true) controller.close();
        else controller.enqueue(next.value as Uint8Array);
      } catch (error) {
        controller.error(error);
      }
    },
    cancel() {
      body.on("error", ignore);
      body.destroy();
    },
  });
}

/** Closes an answer whose body must not be read (it may be large or never end). */
function dropAnswer(answer: UpstreamAnswer): void {
  answer.body.on("error", ignore);
  answer.body.destroy();
}

/** Reads and drops an upstream answer that is not passed on (keeps the connection reusable). */
export async function discardAnswer(answer: UpstreamAnswer): Promise<void> {
  try {
    if (answer.body.dump === undefined) answer.body.destroy();
    else await answer.body.dump({ limit: 64 * 1024 });
  } catch {
    // the connection is closed instead
  }
}
