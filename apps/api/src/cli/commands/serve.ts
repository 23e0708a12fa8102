import { startServer } from "../../server.js";
import { exactPositionals, parse } from "../arguments.js";
import { printCommandHelp, type CommandHandler } from "../command.js";
import { EXIT_OK } from "../exit-codes.js";

/** `serve`: starts the server; resolves once it listens, the process then lives until a signal. */
export const serve: CommandHandler = async ({ args, io }) => {
  const parsed = parse("serve", args, {});
  if (parsed.values.help) return printCommandHelp(io, "serve");
  exactPositionals("serve", parsed, []);
  await startServer(io.env);
  return EXIT_OK;
};
