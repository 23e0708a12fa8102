import { badRequest } from "../errors.js";
import type { QueryValue } from "./parse-query.js";

/** `include=uid`: the relationship paths to include; only the given ones exist. */
export function parseInclude(
  value: QueryValue | undefined,
  relationships: readonly string[],
): string[] {
  if (value === undefined) return [];
  if (typeof value !== "string") throw badRequest("The include parameter needs to be a string.");
  const paths: string[] = [];
  for (const path of value.split(",").map((p) => p.trim())) {
    if (path === "") continue;
    const first = path.split(".")[0] ?? path;
    if (!relationships.includes(path)) {
      const name = relationships.includes(first) ? path.slice(first.length + 1) : first;
      throw badRequest(
        relationships.length > 0
          ? `\`${name}\` is not a valid relationship field name. Possible values: ${relationships.join(", ")}.`
          : `\`${name}\` is not a valid relationship field name.`,
      );
    }
    if (!paths.includes(path)) paths.push(path);
  }
  return paths;
}
