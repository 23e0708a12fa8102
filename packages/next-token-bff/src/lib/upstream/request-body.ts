import { BffError, isBffError } from "../errors/bff-error.js";
import { isSafeMethod } from "./csrf.js";
/**
 * The browser's request body on its way upstream: read chunk by chunk, counted, and cut off
 * above the size limit (catalogue B10) or when it has not arrived in full by a deadline
 * (`startDeadline`). When a retry may be needed (a refresh hook is set) the chunks already read
 * are kept, so the same bytes can be sent again after a refresh; the limit bounds that memory
 * too.
 */
export class RequestBodySource {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly kept: Uint8Array[] = [];
  private bytes = 0;
  private done = false;
  /** A chunk read ahead by `isEmpty()`, handed out first. */
  private peeked: Uint8Array | null = null;
  private deadline: ReturnType<typeof setTimeout> | undefined;
  tooLarge = false;
  timedOut = false;

  constructor(
    stream: ReadableStream<Uint8Array>,
    private readonly maxBytes: number,
    private readonly keepForRetry: boolean,
  ) {
    this.reader = stream.getReader();
  }

  /** Reads the next chunk; concurrent reads are served in order by the stream itself. */
  private async next(): Promise<Uint8Array | null> {
    if (this.peeked !== null) {
      const chunk = this.peeked;
      this.peeked = null;
      return chunk;
    }
    this.throwIfTimedOut();
    if (this.done) return null;
    const { done, value } = await this.reader.read();
    // A read the deadline cut short ends as `done`: that is no end of the body.
    this.throwIfTimedOut();
    if (done) {
      this.finish();
      return null;
    }
    this.bytes += value.byteLength;
    if (this.bytes > this.maxBytes) {
      this.tooLarge = true;
      this.finish();
      this.kept.length = 0;
      void this.reader.cancel().catch(() => {});
      throw new BffError("body_too_large", `request body over ${this.maxBytes} bytes`);
    }
    if (this.keepForRetry) this.kept.push(value);
    return value;
  }

  /** Bytes read so far (the whole body once `readRest()` returned true). */
  get size(): number {
    return this.bytes;
  }

  /**
   * Cuts the body off when it has not arrived in full `ms` from now: reads then fail with
   * `BffError("request_timeout")` and the browser's stream is cancelled (catalogue B10).
   */
  startDeadline(ms: number): void {
    clearTimeout(this.deadline);
    this.deadline = setTimeout(() => {
      if (this.done) return;
      this.timedOut = true;
      this.finish();
      this.kept.length = 0;
      void this.reader.cancel().catch(() => {});
    }, ms);
  }

  private throwIfTimedOut(): void {
    if (this.timedOut) throw new BffError("request_timeout", "request body too slow");
  }

  private finish(): void {
    this.done = true;
    clearTimeout(this.deadline);
  }

  /**
   * True when the stream ends without a byte. Next gives every request a body stream, also a
   * DELETE without one; only a body with content needs an allowed media type.
   */
  async isEmpty(): Promise<boolean> {
    if (this.bytes > 0 || this.peeked !== null) return false;
    for (;;) {
      const chunk = await this.next();
      if (chunk === null) return true;
      if (chunk.byteLength > 0) {
        this.peeked = chunk;
        return false;
      }
    }
  }

  /** The body for the first upstream attempt. */
  async *stream(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const chunk = await this.next();
      if (chunk === null) return;
      yield chunk;
    }
  }

  /**
   * Reads whatever the first attempt did not send (the upstream may answer before reading it
   * all), so a retry can send the whole body. False when the body is not kept.
   */
  async readRest(): Promise<boolean> {
    if (!this.keepForRetry) return false;
    while ((await this.next()) !== null) {
      // keeps reading into `kept`
    }
    return true;
  }

  /** The whole body again, for the retry after a refresh. Only after `readRest()`. */
  replay(): AsyncGenerator<Uint8Array> {
    const chunks = [...this.kept];
    // eslint-disable-next-line @typescript-eslint/require-await -- an async generator over chunks already read: nothing left to await
    return (async function* () {
      yield* chunks;
    })();
  }

  /** Stops reading the browser's body (the request is answered without it). */
  discard(): void {
    if (this.done) return;
    this.finish();
    void this.reader.cancel().catch(() => {});
  }
}

/** A proxied request's body, read ({@link readRequestBody}), or the proxy's answer to it. */
export type ReadRequestBody =
  | { ok: true; body: RequestBodySource | null; contentLength: number | null }
  | {
      ok: false;
      code: "bad_request" | "body_too_large" | "unsupported_media_type" | "request_timeout";
    };

function mediaType(value: string | null): string | undefined {
  return value?.split(";", 1)[0]?.trim().toLowerCase();
}

/**
 * The body of a proxied request, read in full before an upstream connection is taken
 * (catalogue B10): the declared size and the media type checked up front, the real size while
 * reading, and all of it within `timeoutMs`. `body` is null when there is nothing to send; it
 * is kept, so a retry after a refresh sends the same bytes (`replay()`).
 */
export async function readRequestBody(
  request: Request,
  method: string,
  limits: { maxBytes: number; timeoutMs: number; contentTypes: ReadonlySet<string> },
): Promise<ReadRequestBody> {
  const declared = request.headers.get("content-length");
  if (declared !== null && !/^\d+$/.test(declared)) return { ok: false, code: "bad_request" };
  if (declared !== null && Number(declared) > limits.maxBytes) {
    return { ok: false, code: "body_too_large" };
  }
  const nothing = { ok: true, body: null, contentLength: null } as const;
  const declaredEmpty = declared !== null && Number(declared) === 0;
  if (isSafeMethod(method) || request.body === null || declaredEmpty) return nothing;
  const body = new RequestBodySource(request.body, limits.maxBytes, true);
  body.startDeadline(limits.timeoutMs);
  const type = mediaType(request.headers.get("content-type"));
  if (type === undefined || !limits.contentTypes.has(type)) {
    // Refused unless there is nothing to send (e.g. a DELETE through Next).
    if (await body.isEmpty().catch(() => false)) return nothing;
    body.discard();
    return { ok: false, code: "unsupported_media_type" };
  }
  try {
    await body.readRest();
  } catch (error) {
    body.discard();
    if (isBffError(error, "request_timeout")) return { ok: false, code: "request_timeout" };
    return { ok: false, code: body.tooLarge ? "body_too_large" : "bad_request" };
  }
  // Node's HTTP parser never ends a body early, but Next cuts the copy `proxy.ts` reads at
  // `proxyClientMaxBodySize`: a cut body is refused, never forwarded.
  if (declared !== null && body.size !== Number(declared)) {
    body.discard();
    return { ok: false, code: "bad_request" };
  }
  return { ok: true, body, contentLength: body.size };
}
