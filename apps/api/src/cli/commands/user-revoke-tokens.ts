import { createTokenRepository } from "../../db/tokens.js";
import { exactPositionals, parse } from "../arguments.js";
import { printCommandHelp, type CommandHandler } from "../command.js";
import { findUser, withDatabase } from "../database.js";
import { EXIT_OK } from "../exit-codes.js";

/** `user:revoke-tokens <name>`: revokes all access and refresh tokens of a user. */
export const revokeUserTokens: CommandHandler = async ({ args, io, config }) => {
  const parsed = parse("user:revoke-tokens", args, {});
  if (parsed.values.help) return printCommandHelp(io, "user:revoke-tokens");
  const [name = ""] = exactPositionals("user:revoke-tokens", parsed, ["name"]);
  return withDatabase(config(), true, (db) => {
    const user = findUser(db, name);
    const revoked = createTokenRepository(db).revokeUser(user.uid);
    io.out(`Revoked ${revoked} token row(s) of ${user.name} (uid ${user.uid}).`);
    return EXIT_OK;
  });
};
