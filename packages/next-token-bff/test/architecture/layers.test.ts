import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The folders of `src/lib` are layered: a folder imports only from folders below it, so no two
 * folders import each other and only the composition (`bff/`) knows every part. next-auth stays
 * at the edge: only the sign-in folder and the browser components import it.
 */
const layers: Record<string, number> = {
  errors: 0,
  jsonapi: 0,
  redirect: 0,
  runtime: 0,
  config: 1,
  redis: 2,
  providers: 2,
  session: 3,
  "sign-in": 4,
  refresh: 4,
  client: 4,
  upstream: 5,
  proxy: 5,
  bff: 6,
};
const nextAuthAllowed = new Set(["sign-in", "client"]);

const lib = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../src/lib");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(path.join(dir, entry.name))
      : /\.tsx?$/.test(entry.name)
        ? [path.join(dir, entry.name)]
        : [],
  );
}

const folderOf = (file: string) => path.relative(lib, file).split(path.sep)[0] ?? "";

/** Every import of every file: the importing folder, the imported folder or package. */
const imports = sources(lib).flatMap((file) =>
  [...readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((match) => {
    const specifier = match[1] ?? "";
    const target = specifier.startsWith(".")
      ? folderOf(path.resolve(path.dirname(file), specifier))
      : specifier;
    return { file: path.relative(lib, file), from: folderOf(file), target };
  }),
);

describe("the library's layers", () => {
  it("every folder of src/lib has a layer", () => {
    const folders = readdirSync(lib, { withFileTypes: true }).filter((e) => e.isDirectory());
    expect(folders.map((folder) => folder.name).filter((name) => !(name in layers))).toEqual([]);
  });

  it("a folder imports only from folders below it", () => {
    const upward = imports
      .filter(({ from, target }) => target in layers && target !== from)
      .filter(({ from, target }) => (layers[target] ?? 0) >= (layers[from] ?? 0))
      .map(({ file, target }) => `${file} → ${target}/`);
    expect(upward).toEqual([]);
  });

  it("only sign-in/ and the browser components import next-auth", () => {
    const outside = imports
      .filter(({ from, target }) => target.startsWith("next-auth") && !nextAuthAllowed.has(from))
      .map(({ file, target }) => `${file} → ${target}`);
    expect(outside).toEqual([]);
  });
});
