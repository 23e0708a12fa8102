import { hashPassword } from "../../auth/passwords.js";
import { createTokenRepository } from "../../db/tokens.js";
import { createUserRepository } from "../../db/users.js";
import { exactPositionals, parse } from "../arguments.js";
import { printCommandHelp, type CommandHandler } from "../command.js";
import { findUser, withDatabase } from "../database.js";
import { EXIT_OK } from "../exit-codes.js";
import { passwordFrom } from "../secrets.js";

/** `user:password <name> [--password]`: sets a password and revokes the user's access tokens. */
export const setUserPassword: CommandHandler = async ({ args, io, config }) => {
  const parsed = parse("user:password", args, { password: { type: "string" } });
  if (parsed.values.help) return printCommandHelp(io, "user:password");
  const [name = ""] = exactPositionals("user:password", parsed, ["name"]);
  const { password, generated } = passwordFrom("user:password", parsed, io.env);

  return withDatabase(config(), true, async (db) => {
    const user = findUser(db, name);
    const passHash = await hashPassword(password);
    const tokens = createTokenRepository(db);
    // Drupal deletes a user's access tokens whenever the user is saved; refresh tokens stay.
    tokens.transaction(() => {
      createUserRepository(db).setPassword(user.uid, passHash);
      tokens.revokeUserAccessTokens(user.uid);
    });
    io.out(`Password of ${user.name} (uid ${user.uid}) changed; its access tokens are revoked.`);
    if (generated) io.out(`Generated password (shown once): ${password}`);
    return EXIT_OK;
  });
};
