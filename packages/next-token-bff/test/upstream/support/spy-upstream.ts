import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface SeenRequest {
  method: string;
  /** The raw request target, path and query. */
  url: string;
  headers: IncomingMessage["headers"];
  /** Raw header lines as sent, to count repeated headers. */
  rawHeaders: string[];
  body: Buffer;
  /** False when the request was cut off before its body ended. */
  complete: boolean;
}

export type SpyHandler = (request: SeenRequest, res: ServerResponse) => void | Promise<void>;

export const jsonApiOk: SpyHandler = (_request, res) => {
  res.writeHead(200, { "content-type": "application/vnd.api+json" });
  res.end(JSON.stringify({ data: [], meta: { spy: true } }));
};

/**
 * A tiny upstream on 127.0.0.1 that records everything that reaches it. `started` counts
 * requests whose headers arrived, `requests` those whose body arrived in full (plus cut-off
 * ones, marked `complete: false`). It does not keep the test process alive.
 */
export async function startSpyUpstream(initial: SpyHandler = jsonApiOk) {
  let handler = initial;
  let started = 0;
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    started += 1;
    const chunks: Buffer[] = [];
    let settled = false;
    const record = (complete: boolean) => {
      if (settled) return undefined;
      settled = true;
      const seen: SeenRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks),
        complete,
      };
      requests.push(seen);
      return seen;
    };
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("aborted", () => record(false));
    req.on("error", () => record(false));
    req.on("end", () => {
      const seen = record(true);
      if (seen !== undefined) void handler(seen, res);
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    /** Requests to paths under `/jsonapi` (the revocation of an ended session is separate). */
    dataRequests: () => requests.filter((request) => request.url.startsWith("/jsonapi")),
    get started() {
      return started;
    },
    reset() {
      requests.length = 0;
      started = 0;
      handler = initial;
    },
    respond(next: SpyHandler) {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type SpyUpstream = Awaited<ReturnType<typeof startSpyUpstream>>;
