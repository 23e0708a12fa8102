import type { FastifyInstance, FastifyRequest } from "fastify";
import { oauthErrors } from "./oauth-error.js";

/** OAuth requests are tiny; anything bigger than this is refused with 413 before parsing. */
export const FORM_BODY_LIMIT = 16 * 1024;

/** Parameters of a form-encoded OAuth request: each name at most once, all values strings. */
export class FormParams {
  constructor(private readonly values: ReadonlyMap<string, string>) {}

  /** The value of a parameter; an empty value counts as missing (RFC 6749 §3.1). */
  get(name: string): string | undefined {
    const value = this.values.get(name);
    return value === undefined || value === "" ? undefined : value;
  }

  static readonly empty = new FormParams(new Map());
}

/** What the OAuth content-type parsers leave in `request.body`. */
export type OAuthBody =
  | { kind: "form"; params: FormParams }
  | { kind: "json" }
  | { kind: "unsupported"; contentType: string };

const MAX_NAME_IN_HINT = 64;

function shortName(name: string): string {
  return name.length > MAX_NAME_IN_HINT ? `${name.slice(0, MAX_NAME_IN_HINT)}…` : name;
}

/**
 * Parses `application/x-www-form-urlencoded` with URLSearchParams (no nested objects, so no
 * prototype pollution). A repeated parameter or a PHP/qs-style array name (`password[]`,
 * `username[$ne]`) is refused: every OAuth parameter is a single plain string.
 */
export function parseForm(body: string): FormParams {
  const values = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(body)) {
    if (name.includes("[") || name.includes("]")) {
      throw oauthErrors.invalidRequest(
        name,
        `Parameters must be plain name=value pairs; \`${shortName(name)}\` is not allowed`,
      );
    }
    if (values.has(name)) {
      throw oauthErrors.invalidRequest(
        name,
        `The \`${shortName(name)}\` parameter must not be sent more than once`,
      );
    }
    values.set(name, value);
  }
  return new FormParams(values);
}

/**
 * Replaces the context's body parsers: form encoding is parsed, everything else is only
 * classified, so the route can answer with an OAuth error instead of a generic one.
 */
export function registerFormBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string" },
    (_request, body, done) => {
      try {
        done(null, { kind: "form", params: parseForm(String(body)) } satisfies OAuthBody);
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
  app.addContentTypeParser("*", { parseAs: "buffer" }, (request, _body, done) => {
    const contentType = (request.headers["content-type"] ?? "").toLowerCase();
    const isJson = /^application\/([\w.+-]+\+)?json\b/.test(contentType);
    const parsed: OAuthBody = isJson ? { kind: "json" } : { kind: "unsupported", contentType };
    done(null, parsed);
  });
}

function isOAuthBody(body: unknown): body is OAuthBody {
  return typeof body === "object" && body !== null && "kind" in body;
}

/**
 * The form parameters of a request to the token or revocation endpoint. A JSON body is refused
 * the way simple_oauth 6.x refuses it (400, `client_id` not found in the form); other media
 * types get 415. No body at all means no parameters.
 */
export function formParamsOf(request: FastifyRequest): FormParams {
  const body = request.body;
  if (body === undefined || body === null || body === "") return FormParams.empty;
  if (!isOAuthBody(body)) throw oauthErrors.invalidRequest("client_id");
  switch (body.kind) {
    case "form":
      return body.params;
    case "json":
      throw oauthErrors.invalidRequest(
        "client_id",
        "Check the `client_id` parameter; the request body must be application/x-www-form-urlencoded",
      );
    case "unsupported":
      throw oauthErrors.invalidRequest(
        "content-type",
        "The request body must be application/x-www-form-urlencoded",
        415,
      );
  }
}

/** OAuth parameters that must never travel in a URL (they end up in logs and histories). */
const parametersForbiddenInQuery = [
  "grant_type",
  "client_id",
  "client_secret",
  "username",
  "password",
  "refresh_token",
  "scope",
  "token",
  "token_type_hint",
  "code",
  "code_verifier",
  "assertion",
  "access_token",
];

/** Refuses a request that carries OAuth parameters in its query string (RFC 6749 §3.2: POST body only). */
export function rejectParametersInQuery(request: FastifyRequest): void {
  const index = request.url.indexOf("?");
  if (index === -1) return;
  const query = new URLSearchParams(request.url.slice(index + 1));
  for (const name of parametersForbiddenInQuery) {
    if (query.has(name)) {
      throw oauthErrors.invalidRequest(
        name,
        `Send \`${name}\` in the form-encoded request body, never in the URL`,
      );
    }
  }
}
