import { startServer } from "../../server.js";
import { exactPositionals, parse, stringOption } from "../arguments.js";
import { printCommandHelp, type CommandHandler } from "../command.js";
import { UsageError } from "../errors.js";
import { EXIT_OK } from "../exit-codes.js";

/** `serve`: starts the server; resolves once it listens, the process then lives until a signal. */
export const serve: CommandHandler = async ({ args, io }) => {
  const parsed = parse("serve", args, { compat: { type: "string" } });
  if (parsed.values.help) return printCommandHelp(io, "serve");
  exactPositionals("serve", parsed, []);
  const compat = stringOption(parsed, "compat");
  if (compat !== undefined && compat !== "5" && compat !== "6") {
    throw new UsageError(`--compat must be 5 or 6, not "${compat}"`, "serve");
  }
  // The option wins over API_COMPAT.
  await startServer(compat === undefined ? io.env : { ...io.env, API_COMPAT: compat });
  return EXIT_OK;
};
