import { randomBytes } from "node:crypto";
import { stringOption, type Parsed } from "./arguments.js";
import { UsageError } from "./errors.js";
import type { CommandName } from "./usage.js";

/** A random password or client secret, for when none is given (printed once). */
export function randomSecret(): string {
  return randomBytes(18).toString("base64url");
}

/** --password, else NEW_PASSWORD, else a random one (reported so it can be printed once). */
export function passwordFrom(
  command: CommandName,
  parsed: Parsed,
  env: NodeJS.ProcessEnv,
): { password: string; generated: boolean } {
  const given = stringOption(parsed, "password") ?? env.NEW_PASSWORD;
  if (given === undefined) return { password: randomSecret(), generated: true };
  if (given === "") throw new UsageError("the password is empty", command);
  return { password: given, generated: false };
}
