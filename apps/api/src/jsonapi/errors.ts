import type { ErrorObject } from "./document.js";
import { errorDocument, errorObject } from "./document.js";

/** One error of a JSON:API error document; `via` defaults to the request URL. */
export interface ErrorSpec {
  detail: string;
  pointer?: string;
  via?: string;
}

/**
 * An error answered with a JSON:API error document. Route handlers throw it; the JSON:API
 * plugin's error handler turns it into the response (status, headers, document).
 */
export class JsonApiError extends Error {
  override name = "JsonApiError";
  constructor(
    readonly status: number,
    readonly specs: ErrorSpec[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(specs[0]?.detail ?? `HTTP ${status}`);
  }

  static of(
    status: number,
    detail: string,
    options: Omit<ErrorSpec, "detail"> & { headers?: Record<string, string> } = {},
  ): JsonApiError {
    const { headers, ...spec } = options;
    return new JsonApiError(status, [{ detail, ...spec }], headers);
  }

  /** The document; 422 errors carry no links, like Drupal's UnprocessableHttpEntityExceptionNormalizer. */
  toDocument(requestUrl: string): { jsonapi: unknown; errors: ErrorObject[] } {
    return errorDocument(
      this.specs.map((spec) =>
        errorObject(this.status, spec.detail, {
          via: this.status === 422 ? undefined : (spec.via ?? requestUrl),
          pointer: spec.pointer,
        }),
      ),
    );
  }
}

export function badRequest(detail: string, pointer?: string): JsonApiError {
  return JsonApiError.of(400, detail, pointer ? { pointer } : {});
}

export function forbidden(detail: string, options: Omit<ErrorSpec, "detail"> = {}): JsonApiError {
  return JsonApiError.of(403, detail, options);
}

export function unprocessable(
  violations: Array<{ detail: string; pointer: string }>,
): JsonApiError {
  return new JsonApiError(422, violations);
}
