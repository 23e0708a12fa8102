import type { CommandName } from "./usage.js";

/** Wrong command line: exit code 2, the message and a pointer to the help on stderr. */
export class UsageError extends Error {
  override name = "UsageError";
  constructor(
    message: string,
    readonly command?: CommandName,
  ) {
    super(message);
  }
}

/** The command ran but could not do its job (unknown user, duplicate e-mail…): exit code 1. */
export class CommandFailure extends Error {
  override name = "CommandFailure";
}
