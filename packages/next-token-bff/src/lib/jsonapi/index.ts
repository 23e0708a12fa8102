export type {
  JsonApiDocument,
  JsonApiErrorObject,
  JsonApiLink,
  JsonApiLinks,
  JsonApiOmitted,
  JsonApiRelationship,
  JsonApiResource,
  JsonApiResourceIdentifier,
  JsonApiWriteDocument,
} from "./document.js";
export { JSON_API_MEDIA_TYPE, includedResource, omittedCount } from "./document.js";
export { fieldOfPointer, problemKindOf, readUpstreamProblem } from "./problem.js";
export type { UpstreamProblem, UpstreamProblemKind } from "./problem.js";
export { jsonApiQuery, pageOffsetOfLink, proxyPathOfLink, upstreamPathOfLink } from "./links.js";
