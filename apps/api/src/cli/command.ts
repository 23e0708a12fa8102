import type { ApiConfig } from "../config.js";
import { EXIT_OK } from "./exit-codes.js";
import type { CliIo } from "./io.js";
import { commandUsage, type CommandName } from "./usage.js";

/** What a command gets: its arguments (after the command name), the I/O and the configuration. */
export interface CommandContext {
  args: string[];
  io: CliIo;
  /** Loaded lazily so `--help` works even with a broken configuration. */
  config: () => ApiConfig;
}

/** Runs one command; returns or resolves to its exit code. Throws UsageError or CommandFailure. */
export type CommandHandler = (context: CommandContext) => number | Promise<number>;

/** Prints a command's usage (its `--help`) and exits successfully. */
export function printCommandHelp(io: CliIo, command: CommandName): number {
  io.out(commandUsage(command));
  return EXIT_OK;
}
