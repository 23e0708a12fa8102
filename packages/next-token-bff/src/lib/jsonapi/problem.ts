import type { JsonApiErrorObject } from "./document.js";

/**
 * What went wrong with an upstream call, in terms a page can act on. `forbidden`: the person
 * lacks permission (stay signed in, say so). `validation`: 422, per-field messages in
 * `fieldErrors`. `session_ended`: the browser helper is already on its way to the sign-in
 * page. `unavailable`: the upstream or the token endpoint cannot be reached (the session is
 * kept; try again).
 */
export type UpstreamProblemKind =
  | "bad_request"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "validation"
  | "session_ended"
  | "unavailable"
  | "other";

/** A failed upstream answer, read by content type (drupal-wire D.2), ready to show. */
export interface UpstreamProblem {
  /** What kind of failure it is, for choosing what to show or do. */
  kind: UpstreamProblemKind;
  /** The HTTP status of the answer. */
  status: number;
  /** The upstream's JSON:API errors (empty for other bodies). */
  errors: JsonApiErrorObject[];
  /** One sentence for the person: the upstream's details, or the status text. */
  message: string;
  /** 422 messages by field: `/data/attributes/title` → `title`, `/data/relationships/uid` → `uid`. */
  fieldErrors: Partial<Record<string, string[]>>;
  /** `{"error": code}` of the BFF's own proxy answers (e.g. `session_expired`), if any. */
  code?: string;
}

const statusTexts: Partial<Record<number, string>> = {
  400: "The request was not understood.",
  401: "You are not signed in.",
  403: "You don't have permission to do that.",
  404: "It could not be found.",
  409: "It conflicts with the current state.",
  413: "It is too large.",
  415: "The content type is not accepted.",
  422: "Some values are not valid.",
  429: "Too many requests. Please wait a moment.",
  502: "The content service cannot be reached right now.",
  503: "The content service cannot be reached right now.",
  504: "The content service took too long to answer.",
};

/** The {@link UpstreamProblemKind} of an HTTP status. */
export function problemKindOf(status: number): UpstreamProblemKind {
  if (status === 400) return "bad_request";
  if (status === 401) return "session_ended";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status === 422) return "validation";
  if (status === 502 || status === 503 || status === 504) return "unavailable";
  return "other";
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function errorObjects(value: unknown): JsonApiErrorObject[] {
  if (!isRecord(value) || !Array.isArray(value.errors)) return [];
  const result: JsonApiErrorObject[] = [];
  for (const entry of value.errors) {
    if (!isRecord(entry)) continue;
    const text = (key: string) => (typeof entry[key] === "string" ? entry[key] : undefined);
    const source = isRecord(entry.source) ? entry.source : undefined;
    const pointer = typeof source?.pointer === "string" ? source.pointer : undefined;
    const parameter = typeof source?.parameter === "string" ? source.parameter : undefined;
    result.push({
      ...(text("status") !== undefined ? { status: text("status") } : {}),
      ...(text("title") !== undefined ? { title: text("title") } : {}),
      ...(text("detail") !== undefined ? { detail: text("detail") } : {}),
      ...(text("code") !== undefined ? { code: text("code") } : {}),
      ...(pointer !== undefined || parameter !== undefined
        ? { source: { ...(pointer ? { pointer } : {}), ...(parameter ? { parameter } : {}) } }
        : {}),
    });
  }
  return result;
}

/** `title: This value should not be null.` → `This value should not be null.` */
function withoutPropertyPath(detail: string): string {
  const match = /^[a-z_][a-z0-9_.]*: (.+)$/i.exec(detail);
  return match?.[1] ?? detail;
}

/** `/data/attributes/title` → `title`; `/data/relationships/uid` → `uid`; `/data` → undefined. */
export function fieldOfPointer(pointer: string | undefined): string | undefined {
  const match = /^\/data\/(?:attributes|relationships)\/([^/]+)/.exec(pointer ?? "");
  return match?.[1];
}

function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? "").split(";", 1)[0]?.trim().toLowerCase() ?? "";
}

/**
 * Reads an error answer by its content type, as drupal-wire D.2 asks: JSON:API → `errors[]`;
 * JSON → `{error}`, `{error_description}` or `{message}`; anything else → the status text.
 * A 401 body is never relied on (Drupal's is probably HTML).
 */
export function readUpstreamProblem(
  status: number,
  contentType: string | null | undefined,
  body: string,
): UpstreamProblem {
  const type = mediaType(contentType);
  let parsed: unknown;
  if (
    type === "application/vnd.api+json" ||
    type === "application/json" ||
    type.endsWith("+json")
  ) {
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
  }
  const errors = type === "application/vnd.api+json" ? errorObjects(parsed) : [];
  const code =
    type === "application/json" && isRecord(parsed) && typeof parsed.error === "string"
      ? parsed.error
      : undefined;

  const fieldErrors: Partial<Record<string, string[]>> = {};
  for (const error of errors) {
    const field = fieldOfPointer(error.source?.pointer);
    if (field === undefined || error.detail === undefined) continue;
    (fieldErrors[field] ??= []).push(withoutPropertyPath(error.detail));
  }

  let message = statusTexts[status] ?? `The content service answered ${status}.`;
  const details = errors
    .map((error) => error.detail ?? error.title)
    .filter((text): text is string => typeof text === "string" && text.length > 0);
  if (status !== 401 && details.length > 0) message = details.map(withoutPropertyPath).join(" ");
  else if (status !== 401 && isRecord(parsed)) {
    const text = parsed.error_description ?? parsed.message;
    if (typeof text === "string" && text.length > 0) message = text;
  }

  return {
    kind: problemKindOf(status),
    status,
    errors,
    message,
    fieldErrors,
    ...(code !== undefined ? { code } : {}),
  };
}
