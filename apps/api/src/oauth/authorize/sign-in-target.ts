import type { Services } from "../../services.js";
import type { AuthorizationRequest } from "./authorization-request.js";
import { checkAuthorizationRequest, destinationQuery } from "./authorization-request.js";

export type SignInTarget =
  | { kind: "ok"; query: string; authorization: AuthorizationRequest }
  | { kind: "page"; message: string }
  | { kind: "authorize"; query: string };

/** The authorization query a sign-in request carries, or the reason it cannot be used. */
export function signInTarget(services: Services, destination: string | undefined): SignInTarget {
  const query = destinationQuery(destination);
  if (query === undefined) {
    return {
      kind: "page",
      message: "This sign-in page can only be opened from an application's sign-in link.",
    };
  }
  const check = checkAuthorizationRequest(query, services);
  if (check.kind === "page") return { kind: "page", message: check.message };
  // The authorization endpoint sends that error back to the client.
  if (check.kind === "redirect") return { kind: "authorize", query };
  return { kind: "ok", query, authorization: check.request };
}
