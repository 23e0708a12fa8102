import { createTokenRepository } from "../../db/tokens.js";
import { createUserRepository } from "../../db/users.js";
import { exactPositionals, parse } from "../arguments.js";
import { printCommandHelp, type CommandHandler } from "../command.js";
import { findUser, withDatabase } from "../database.js";
import { EXIT_OK } from "../exit-codes.js";

/** `user:block <name>`: blocks a user and revokes all of its tokens. */
export const blockUser: CommandHandler = async ({ args, io, config }) => {
  const parsed = parse("user:block", args, {});
  if (parsed.values.help) return printCommandHelp(io, "user:block");
  const [name = ""] = exactPositionals("user:block", parsed, ["name"]);
  return withDatabase(config(), true, (db) => {
    const user = findUser(db, name);
    const tokens = createTokenRepository(db);
    // One transaction: no moment where the user is blocked but a token still counts, or back.
    const revoked = tokens.transaction(() => {
      createUserRepository(db).setStatus(user.uid, false);
      return tokens.revokeUser(user.uid);
    });
    io.out(`Blocked ${user.name} (uid ${user.uid}); revoked ${revoked} token row(s).`);
    return EXIT_OK;
  });
};
