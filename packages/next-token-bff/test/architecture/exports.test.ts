import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The package's public surface: at most five entry points and sixty exported names (types
 * included), each exported from one entry only, so a user never has to choose between two
 * imports of the same thing.
 */
const packageDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "../..");
const manifest = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")) as {
  exports: Record<string, string | { types: string }>;
};

/** `./dist/x/index.d.ts` → `src/x/index.ts`. */
function sourceOf(entry: string | { types: string }): string | null {
  if (typeof entry === "string") return null;
  return path.join(
    packageDir,
    entry.types.replace(/^\.\/dist\//, "src/").replace(/\.d\.ts$/, ".ts"),
  );
}

const entries = Object.entries(manifest.exports)
  .map(([subpath, entry]) => ({ subpath, source: sourceOf(entry) }))
  .filter((entry): entry is { subpath: string; source: string } => entry.source !== null);

const program = ts.createProgram(
  entries.map((entry) => entry.source),
  {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    jsx: ts.JsxEmit.ReactJSX,
    skipLibCheck: true,
    noEmit: true,
  },
);
const checker = program.getTypeChecker();

function exportedNames(source: string): string[] {
  const file = program.getSourceFile(source);
  const symbol = file && checker.getSymbolAtLocation(file);
  if (symbol === undefined) throw new Error(`no module symbol for ${source}`);
  return checker.getExportsOfModule(symbol).map((exported) => exported.name);
}

const surface = entries.map((entry) => ({ ...entry, names: exportedNames(entry.source) }));

describe("the package's public surface", () => {
  it("has at most five entry points", () => {
    expect(entries.map((entry) => entry.subpath).length).toBeLessThanOrEqual(5);
    expect(entries.length).toBeGreaterThan(0);
  });

  it("exports at most sixty names", () => {
    const total = surface.reduce((sum, entry) => sum + entry.names.length, 0);
    expect(
      total,
      JSON.stringify(Object.fromEntries(surface.map((e) => [e.subpath, e.names]))),
    ).toBeLessThanOrEqual(60);
  });

  it("exports every name from one entry only", () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const { subpath, names } of surface) {
      for (const name of names) {
        const first = seen.get(name);
        if (first !== undefined) twice.push(`${name}: ${first} and ${subpath}`);
        seen.set(name, subpath);
      }
    }
    expect(twice).toEqual([]);
  });
});
