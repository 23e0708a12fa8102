/** JSON:API top-level members and error documents, shaped like Drupal core's. */
export const JSONAPI_MEDIA_TYPE = "application/vnd.api+json";

export const jsonapiMember = {
  version: "1.0",
  meta: { links: { self: { href: "http://jsonapi.org/format/1.0/" } } },
} as const;

const reasonPhrases: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  408: "Request Timeout",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
};

const rfc2616Sections: Record<number, string> = {
  400: "10.4.1",
  401: "10.4.2",
  403: "10.4.4",
  404: "10.4.5",
  405: "10.4.6",
  406: "10.4.7",
  409: "10.4.10",
  413: "10.4.14",
  415: "10.4.16",
  500: "10.5.1",
};

export interface ErrorObject {
  title: string;
  status: string;
  detail: string;
  links?: { via?: { href: string }; info?: { href: string } };
  source?: { pointer: string };
}

export interface ErrorOptions {
  /** The URL the error is about (Drupal: the request URL or the denied entity's URL). */
  via?: string;
  pointer?: string;
}

export function errorObject(
  status: number,
  detail: string,
  options: ErrorOptions = {},
): ErrorObject {
  const links: ErrorObject["links"] = {};
  if (options.via) links.via = { href: options.via };
  const section = rfc2616Sections[status];
  if (section)
    links.info = { href: `https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec${section}` };
  return {
    title: reasonPhrases[status] ?? "Error",
    status: String(status),
    detail,
    ...(Object.keys(links).length > 0 ? { links } : {}),
    ...(options.pointer ? { source: { pointer: options.pointer } } : {}),
  };
}

export function errorDocument(errors: ErrorObject[]) {
  return { jsonapi: jsonapiMember, errors };
}
