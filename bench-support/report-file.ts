import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** The heading time of a section: `2026-11-27T11:09:40Z`. */
export const sectionTime = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");

/**
 * Appends one section to the report file (`-` = write nothing), starting a missing file with
 * `header`, with exactly one blank line before the section so Prettier leaves the file alone.
 */
export function appendSection(file: string, section: string, header: string): void {
  if (file === "-") return;
  mkdirSync(path.dirname(file), { recursive: true });
  if (!existsSync(file)) appendFileSync(file, header);
  const current = readFileSync(file, "utf8");
  const separator = current.endsWith("\n\n") ? "" : current.endsWith("\n") ? "\n" : "\n\n";
  appendFileSync(file, `${separator}${section}`);
  const shown = path.relative(process.cwd(), file);
  console.log(`Appended to ${shown.startsWith("..") ? file : shown}`);
}
