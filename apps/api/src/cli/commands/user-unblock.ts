import { createUserRepository } from "../../db/users.js";
import { exactPositionals, parse } from "../arguments.js";
import { printCommandHelp, type CommandHandler } from "../command.js";
import { findUser, withDatabase } from "../database.js";
import { EXIT_OK } from "../exit-codes.js";

/** `user:unblock <name>`: unblocks a user; revoked tokens stay revoked. */
export const unblockUser: CommandHandler = async ({ args, io, config }) => {
  const parsed = parse("user:unblock", args, {});
  if (parsed.values.help) return printCommandHelp(io, "user:unblock");
  const [name = ""] = exactPositionals("user:unblock", parsed, ["name"]);
  return withDatabase(config(), true, (db) => {
    const user = findUser(db, name);
    createUserRepository(db).setStatus(user.uid, true);
    io.out(`Unblocked ${user.name} (uid ${user.uid}).`);
    return EXIT_OK;
  });
};
