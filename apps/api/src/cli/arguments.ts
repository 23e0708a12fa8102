import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./errors.js";
import type { CommandName } from "./usage.js";

export type Options = NonNullable<ParseArgsConfig["options"]>;

export interface Parsed {
  positionals: string[];
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
}

/** Parses a command's arguments strictly; every command also takes `-h`/`--help`. */
export function parse(command: CommandName, args: string[], options: Options): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
    return { values, positionals };
  } catch (error) {
    // parseArgs reports unknown options and missing option values as TypeErrors with a code.
    if (error instanceof TypeError && "code" in error) throw new UsageError(error.message, command);
    throw error;
  }
}

export function stringOption(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === "string" ? value : undefined;
}

/** A repeatable option whose values may also be comma-separated: `--role a --role b,c`. */
export function listOption(parsed: Parsed, name: string): string[] {
  const value = parsed.values[name];
  const raw = Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
  const items = raw
    .filter((item): item is string => typeof item === "string")
    .flatMap((item) => item.split(","))
    .map((item) => item.trim())
    .filter(Boolean);
  return [...new Set(items)];
}

export function exactPositionals(command: CommandName, parsed: Parsed, names: string[]): string[] {
  const { positionals } = parsed;
  if (positionals.length < names.length) {
    throw new UsageError(`missing <${names[positionals.length] ?? "argument"}>`, command);
  }
  if (positionals.length > names.length) {
    throw new UsageError(`unexpected argument "${positionals[names.length] ?? ""}"`, command);
  }
  for (const [index, value] of positionals.entries()) {
    if (value.trim() === "")
      throw new UsageError(`<${names[index] ?? "argument"}> is empty`, command);
  }
  return positionals;
}
