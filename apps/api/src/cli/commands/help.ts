import { printCommandHelp, type CommandHandler } from "../command.js";
import { UsageError } from "../errors.js";
import { EXIT_OK } from "../exit-codes.js";
import { generalUsage, isCommandName } from "../usage.js";

/** `help [<command>]`: the general usage, or one command's. */
export const help: CommandHandler = ({ args, io }) => {
  const [topic, ...rest] = args.filter((arg) => arg !== "--help" && arg !== "-h");
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0] ?? ""}"`, "help");
  if (topic === undefined) {
    if (args.length > 0) return printCommandHelp(io, "help"); // `help --help`
    io.out(generalUsage());
    return EXIT_OK;
  }
  if (!isCommandName(topic)) throw new UsageError(`unknown command "${topic}"`);
  return printCommandHelp(io, topic);
};
