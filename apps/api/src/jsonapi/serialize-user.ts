import type { Caller } from "../auth/caller.js";
import type { User } from "../db/users.js";
import { mayViewMail, userViewAccess } from "./access.js";
import { USER_TYPE, userUrl } from "./links.js";
import type { Fieldsets } from "./query/fields.js";
import { wants } from "./query/fields.js";
import type { ResourceObject } from "./resource-object.js";
import { rfc3339, withMembers } from "./resource-object.js";

/**
 * A user--user resource object. Built from an explicit list of attributes, so the password hash
 * can never be serialized. Callers who may not view the user get Drupal's label-only object
 * (`display_name` only); `mail` is for the user themself and user administrators.
 */
export function serializeUser(
  user: User,
  caller: Caller,
  base: string,
  fieldsets: Fieldsets = new Map(),
): ResourceObject {
  const wanted = (name: string) => wants(fieldsets, USER_TYPE, name);
  const full = userViewAccess(caller, user) === "full";
  const members: Record<string, unknown> = { display_name: user.name };
  if (full) {
    members.drupal_internal__uid = user.uid;
    members.langcode = "en";
    members.name = user.name;
    if (mayViewMail(caller, user)) members.mail = user.mail;
    members.created = rfc3339(user.created);
    members.changed = rfc3339(user.changed);
    members.status = user.status;
  }
  const attributes = withMembers(members, wanted);
  return {
    type: USER_TYPE,
    id: user.uuid,
    links: { self: { href: userUrl(base, user.uuid) } },
    ...(attributes ? { attributes } : {}),
  };
}
