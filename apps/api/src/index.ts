/**
 * `@next-token-bff/api` as a library: the reference API started in-process, for tests that need
 * a real Drupal-compatible upstream. The server itself runs through the `reference-api` bin.
 * @packageDocumentation
 */
export { startReferenceApi } from "./reference-api.js";
export type { ReferenceApi, StartReferenceApiOptions } from "./reference-api.js";
