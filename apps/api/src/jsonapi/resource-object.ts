/** A link object: JSON:API links are always objects with `href`, never bare strings. */
export interface Link {
  href: string;
  meta?: Record<string, unknown>;
}

export interface ResourceIdentifier {
  type: string;
  id: string;
  meta?: Record<string, unknown>;
}

export interface Relationship {
  data: ResourceIdentifier | ResourceIdentifier[] | null;
  links?: Record<string, Link>;
}

export interface ResourceObject {
  type: string;
  id: string;
  links: { self: Link };
  attributes?: Record<string, unknown>;
  relationships?: Record<string, Relationship>;
}

/** RFC 3339 with an explicit +00:00 offset, as Drupal's timestamp normalizer writes it. */
export function rfc3339(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

/** Only the members the sparse fieldset asks for; empty groups are left out. */
export function withMembers<T extends Record<string, unknown>>(
  members: T,
  wanted: (name: string) => boolean,
): Partial<T> | undefined {
  const picked: Partial<T> = {};
  let any = false;
  for (const [name, value] of Object.entries(members)) {
    if (!wanted(name)) continue;
    (picked as Record<string, unknown>)[name] = value;
    any = true;
  }
  return any ? picked : undefined;
}
