import { connect } from "node:net";

/** A response read off the socket: status, headers (names lower-cased, repeats joined by ", "), body. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends one HTTP/1.1 request over a plain socket, header lines exactly as given (so a header can
 * be repeated, which `fetch`, `inject` and Node's `http.request` do not allow or merge), and reads
 * the whole response (`Connection: close`; `Content-Length` or chunked).
 */
export async function rawRequest(
  baseUrl: string,
  request: { method: string; path: string; headers: Array<[string, string]>; body?: string },
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const body = request.body ?? "";
  const lines = [
    `${request.method} ${request.path} HTTP/1.1`,
    `Host: ${url.host}`,
    "Connection: close",
    ...request.headers.map(([name, value]) => `${name}: ${value}`),
    ...(body !== "" || request.method === "POST"
      ? [`Content-Length: ${Buffer.byteLength(body)}`]
      : []),
  ];
  return rawBytesRequest(baseUrl, Buffer.from(`${lines.join("\r\n")}\r\n\r\n${body}`));
}

/**
 * Sends exactly these bytes (request line, header lines, body: anything, valid HTTP or not) and
 * reads the whole response until the server closes the connection. A reset after the answer
 * (a server that refuses a request closes at once) still yields the answer.
 */
export async function rawBytesRequest(baseUrl: string, bytes: Buffer): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const raw = await new Promise<Buffer>((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      // write, not end: a half-closed socket reads as an aborted request to the server.
      socket.write(bytes);
    });
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("end", () => resolve(Buffer.concat(chunks)));
    socket.on("error", (error) => {
      if (chunks.length > 0) resolve(Buffer.concat(chunks));
      else reject(error);
    });
  });
  return parseResponse(raw);
}

function parseResponse(raw: Buffer): RawResponse {
  const split = raw.indexOf("\r\n\r\n");
  if (split < 0) throw new Error(`incomplete response: ${raw.toString("latin1")}`);
  const [statusLine = "", ...headerLines] = raw.subarray(0, split).toString("latin1").split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  let payload = raw.subarray(split + 4);
  if (headers["transfer-encoding"]?.toLowerCase() === "chunked") payload = dechunk(payload);
  return { status, headers, body: payload.toString("utf8") };
}

function dechunk(payload: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = payload.indexOf("\r\n", offset);
    if (lineEnd < 0) break;
    const size = Number.parseInt(payload.subarray(offset, lineEnd).toString("latin1"), 16);
    if (!(size > 0)) break;
    parts.push(payload.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
