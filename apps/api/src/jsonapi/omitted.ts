import { randomBytes } from "node:crypto";
import type { Link } from "./resource-object.js";

export interface Omission {
  href: string;
  detail: string;
}

/** Drupal's `meta.omitted` (C.8): `detail`, `links.help` first, then `item--<7 random chars>`. */
export function omittedMeta(omissions: Omission[]) {
  const links: Record<string, Link> = {
    help: {
      href: "https://www.drupal.org/docs/8/modules/json-api/filtering#filters-access-control",
    },
  };
  for (const omission of omissions) {
    let key: string;
    do {
      key = `item--${randomBytes(8)
        .toString("base64")
        .replace(/[^a-zA-Z0-9]/g, "")
        .slice(0, 7)}`;
    } while (key.length !== 13 || key in links);
    links[key] = { href: omission.href, meta: { rel: "item", detail: omission.detail } };
  }
  return {
    detail: "Some resources have been omitted because of insufficient authorization.",
    links,
  };
}
