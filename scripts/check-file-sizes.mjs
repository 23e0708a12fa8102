/* global process, console -- a Node.js script */
// Fails when a source file of any workspace is longer than 400 lines: past that, a file holds
// more than one concept. Part of `npm run lint`.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

const limit = 400;
const skipped = new Set(["node_modules", "dist", ".git", "coverage"]);
const source = /\.(ts|tsx|js|mjs|cjs)$/;

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skipped.has(entry.name) || entry.name.startsWith(".next")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (source.test(entry.name) && !entry.name.endsWith(".d.ts")) yield full;
  }
}

const root = path.resolve(import.meta.dirname, "..");
const tooLong = [];
for (const file of files(root)) {
  const lines = readFileSync(file, "utf8").split("\n").length;
  if (lines > limit) tooLong.push(`${path.relative(root, file)}: ${lines} lines`);
}
if (tooLong.length > 0) {
  console.error(`Source files over ${limit} lines:\n  ${tooLong.join("\n  ")}`);
  process.exit(1);
}
