import { z } from "zod";
import { hashPassword } from "../../auth/passwords.js";
import { isRole, roles } from "../../auth/permissions.js";
import { createUserRepository } from "../../db/users.js";
import { exactPositionals, listOption, parse, stringOption, type Options } from "../arguments.js";
import { printCommandHelp, type CommandHandler } from "../command.js";
import { withDatabase } from "../database.js";
import { CommandFailure, UsageError } from "../errors.js";
import { EXIT_OK } from "../exit-codes.js";
import { passwordFrom } from "../secrets.js";

/** `user:add <name> --mail --role [--password]`: creates an active user. */
export const addUser: CommandHandler = async ({ args, io, config }) => {
  const options: Options = {
    mail: { type: "string" },
    role: { type: "string", multiple: true },
    password: { type: "string" },
  };
  const parsed = parse("user:add", args, options);
  if (parsed.values.help) return printCommandHelp(io, "user:add");
  const [name = ""] = exactPositionals("user:add", parsed, ["name"]);
  if (name !== name.trim() || name.length > 60) {
    throw new UsageError(
      "<name> must be at most 60 characters without leading or trailing spaces",
      "user:add",
    );
  }
  const mail = stringOption(parsed, "mail");
  if (mail === undefined) throw new UsageError("--mail is required", "user:add");
  if (!z.email().safeParse(mail).success) {
    throw new UsageError(`--mail "${mail}" is not an e-mail address`, "user:add");
  }
  const roleNames = listOption(parsed, "role");
  if (roleNames.length === 0) throw new UsageError("--role is required", "user:add");
  const unknownRole = roleNames.find((role) => !isRole(role));
  if (unknownRole !== undefined) {
    throw new UsageError(`unknown role "${unknownRole}" (roles: ${roles.join(", ")})`, "user:add");
  }
  const userRoles = roleNames.filter(isRole);
  const { password, generated } = passwordFrom("user:add", parsed, io.env);

  return withDatabase(config(), false, async (db) => {
    const users = createUserRepository(db);
    if (users.findByNameOrMail(name)) throw new CommandFailure(`A user named "${name}" exists.`);
    if (users.findByNameOrMail(mail)) {
      throw new CommandFailure(`A user with the e-mail ${mail} exists.`);
    }
    const user = users.create({
      name,
      mail,
      passHash: await hashPassword(password),
      roles: userRoles,
    });
    io.out(`Added user ${user.name} (uid ${user.uid}, roles: ${user.roles.join(", ")}).`);
    if (generated) io.out(`Generated password (shown once): ${password}`);
    return EXIT_OK;
  });
};
