import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { ConnectionError } from "fastify";
import { errorDocument, errorObject, JSONAPI_MEDIA_TYPE } from "../jsonapi/document.js";
import type { Compat } from "../oauth/compat.js";
import { OAUTH_JSON, oauthErrors } from "../oauth/oauth-error.js";

/**
 * The request target of the first request line the parser saw, if it got that far. Node hands
 * parser errors the bytes read so far as a Buffer (`rawPacket`; Fastify's type says otherwise).
 */
function requestTarget(raw: unknown): string {
  if (!Buffer.isBuffer(raw)) return "";
  const head = raw.subarray(0, 8192).toString("latin1");
  const firstLine = head.split("\r\n", 1)[0] ?? "";
  return firstLine.split(" ")[1] ?? "";
}

/**
 * Answers a request Node's HTTP parser refused before Fastify saw it (bytes outside ASCII or
 * spaces in the request target, a broken header line, headers over the size limit, a timeout)
 * in the format of the endpoint it was meant for, instead of Fastify's generic JSON: an OAuth
 * error below `/oauth/` and `/.well-known/`, a JSON:API error document everywhere else. Like
 * Fastify's default handler it answers 408, 431 or 400 and then closes the connection.
 */
export function createClientErrorHandler(compat: Compat) {
  return (error: ConnectionError, socket: Socket): void => {
    if (error.code === "ECONNRESET" || socket.destroyed) return;
    const status =
      error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? 408
        : error.code === "HPE_HEADER_OVERFLOW"
          ? 431
          : 400;
    const detail =
      status === 408
        ? "The request was not received in time."
        : status === 431
          ? "The request headers are too large."
          : "The request could not be parsed as HTTP.";
    const target = requestTarget(error.rawPacket);
    const oauth = target.startsWith("/oauth/") || target.startsWith("/.well-known/");
    const type = oauth ? OAUTH_JSON : JSONAPI_MEDIA_TYPE;
    const body = JSON.stringify(
      oauth
        ? oauthErrors.invalidRequest("", detail, status).body(compat)
        : errorDocument([errorObject(status, detail)]),
    );
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${String(status)} ${STATUS_CODES[status] ?? ""}\r\n` +
          `Content-Type: ${type}\r\nContent-Length: ${String(Buffer.byteLength(body))}\r\n` +
          `Cache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy(error);
  };
}
