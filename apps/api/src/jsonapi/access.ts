import type { Caller } from "../auth/caller.js";
import { can } from "../auth/caller.js";
import type { Article } from "../db/articles.js";
import type { User } from "../db/users.js";
import type { SqlFragment } from "./query/filter.js";

/** An access decision; `reason` is Drupal's access-result reason (may be empty). */
export type Access = { allowed: true } | { allowed: false; reason: string };

const allowed: Access = { allowed: true };
const denied = (reason = ""): Access => ({ allowed: false, reason });

export const ACCESS_CONTENT_REASON = "The 'access content' permission is required.";

function ownerOf(caller: Caller, article: Pick<Article, "uid">): boolean {
  return caller.kind === "user" && caller.user.uid === article.uid;
}

/** The stand-in's gate for all content routes (node and user): `access content`. */
export function contentGate(caller: Caller): Access {
  return can(caller, "access content") ? allowed : denied(ACCESS_CONTENT_REASON);
}

/** Drupal `NodeAccessControlHandler` (no node-access modules) for `view`. */
export function articleViewAccess(caller: Caller, article: Article): Access {
  if (can(caller, "bypass node access")) return allowed;
  if (!can(caller, "access content")) return denied(ACCESS_CONTENT_REASON);
  if (article.status) return allowed;
  if (ownerOf(caller, article) && can(caller, "view own unpublished content")) return allowed;
  return denied();
}

export function articleCreateAccess(caller: Caller): Access {
  if (can(caller, "bypass node access")) return allowed;
  if (!can(caller, "access content")) return denied(ACCESS_CONTENT_REASON);
  return can(caller, "create article content")
    ? allowed
    : denied("The 'create article content' permission is required.");
}

/** `node_node_access()` for update/delete: "any" permission, or "own" permission + owner. */
export function articleWriteAccess(
  caller: Caller,
  article: Article,
  operation: "edit" | "delete",
): Access {
  if (can(caller, "bypass node access")) return allowed;
  if (!can(caller, "access content")) return denied(ACCESS_CONTENT_REASON);
  if (can(caller, `${operation} any article content`)) return allowed;
  if (ownerOf(caller, article) && can(caller, `${operation} own article content`)) return allowed;
  return denied(`The '${operation} any article content' permission is required.`);
}

/** Administrative node fields (author, dates, promotion) need `bypass node access` here. */
export function mayAdministerArticles(caller: Caller): boolean {
  return can(caller, "bypass node access");
}

/**
 * Drupal `UserAccessControlHandler` `view`: user administrators, the user themself, and
 * `access user profiles` for active users. Everyone else sees the label only (`view label`).
 */
export function userViewAccess(caller: Caller, user: User): "full" | "label" {
  if (can(caller, "administer users")) return "full";
  if (caller.kind === "user" && caller.user.uid === user.uid) return "full";
  if (can(caller, "access user profiles") && user.status) return "full";
  return "label";
}

/** `mail` is shown to the user themself and to user administrators only. */
export function mayViewMail(caller: Caller, user: User): boolean {
  return (
    can(caller, "administer users") || (caller.kind === "user" && caller.user.uid === user.uid)
  );
}

const uidOf = (caller: Caller): number => (caller.kind === "user" ? caller.user.uid : -1);

/**
 * TemporaryQueryGuard for nodes (`node_jsonapi_node_filter_access`): once a filter is present,
 * results are limited to what the caller may see — all with bypass, else published ones plus
 * their own with `view own unpublished content`.
 */
export function articleFilterGuard(caller: Caller): SqlFragment | undefined {
  if (can(caller, "bypass node access")) return undefined;
  const parts: string[] = [];
  const params: SqlFragment["params"] = [];
  if (can(caller, "access content")) parts.push("a.status = 1");
  if (can(caller, "view own unpublished content")) {
    parts.push("a.uid = ?");
    params.push(uidOf(caller));
  }
  return { sql: parts.length > 0 ? `(${parts.join(" OR ")})` : "1 = 0", params };
}

/**
 * TemporaryQueryGuard for users (`jsonapi_jsonapi_user_filter_access`): among all for user
 * administrators, among active ones plus own with `access user profiles`, else among own.
 */
export function userFilterGuard(caller: Caller): SqlFragment | undefined {
  if (can(caller, "administer users")) return undefined;
  if (can(caller, "access user profiles")) {
    return { sql: "(u.status = 1 OR u.uid = ?)", params: [uidOf(caller)] };
  }
  return { sql: "u.uid = ?", params: [uidOf(caller)] };
}
