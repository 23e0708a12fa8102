import { ConfigError, loadConfig, type ApiConfig } from "../config.js";
import type { CommandContext, CommandHandler } from "./command.js";
import { addClient } from "./commands/client-add.js";
import { loadDemo } from "./commands/demo-load.js";
import { help } from "./commands/help.js";
import { serve } from "./commands/serve.js";
import { addUser } from "./commands/user-add.js";
import { blockUser } from "./commands/user-block.js";
import { setUserPassword } from "./commands/user-password.js";
import { revokeUserTokens } from "./commands/user-revoke-tokens.js";
import { unblockUser } from "./commands/user-unblock.js";
import { CommandFailure, UsageError } from "./errors.js";
import { EXIT_FAILURE, EXIT_USAGE } from "./exit-codes.js";
import { processIo, type CliIo } from "./io.js";
import { isCommandName, PROGRAM, type CommandName } from "./usage.js";

const commands: Record<CommandName, CommandHandler> = {
  serve,
  "user:add": addUser,
  "user:password": setUserPassword,
  "user:block": blockUser,
  "user:unblock": unblockUser,
  "user:revoke-tokens": revokeUserTokens,
  "client:add": addClient,
  "demo:load": loadDemo,
  help,
};

/**
 * Runs one command line (without the `node` and script arguments) and resolves to the exit
 * code. `serve` resolves once the server listens; the process then lives until a signal.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [first, ...rest] = argv;
  let command: CommandName;
  let args: string[];
  if (first === undefined) {
    command = "serve";
    args = [];
  } else if (first === "--help" || first === "-h") {
    command = "help";
    args = rest;
  } else if (isCommandName(first)) {
    command = first;
    args = rest;
  } else {
    io.err(
      first.startsWith("-")
        ? `${PROGRAM}: options go after the command: "${first}"`
        : `${PROGRAM}: unknown command "${first}"`,
    );
    io.err(`Run \`${PROGRAM} --help\` for the list of commands.`);
    return EXIT_USAGE;
  }

  let config: ApiConfig | undefined;
  const context: CommandContext = {
    args,
    io,
    config: () => (config ??= loadConfig(io.env)),
  };
  try {
    return await commands[command](context);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${PROGRAM} ${error.command ?? ""}: ${error.message}`.replace("  ", " "));
      io.err(`Run \`${PROGRAM} ${error.command ?? ""} --help\` for usage.`.replace("  ", " "));
      return EXIT_USAGE;
    }
    if (error instanceof ConfigError) {
      io.err(error.message);
      return EXIT_FAILURE;
    }
    if (error instanceof CommandFailure) {
      io.err(`${PROGRAM} ${command}: ${error.message}`);
      return EXIT_FAILURE;
    }
    io.err(`${PROGRAM} ${command} failed:`);
    io.err(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return EXIT_FAILURE;
  }
}
