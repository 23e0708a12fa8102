import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { z } from "zod";
import { sha256 } from "../auth/hash.js";
import { hashPassword } from "../auth/passwords.js";
import { isRole, roles, type Role } from "../auth/permissions.js";
import { ConfigError, DEMO_WEB_REDIRECT_URI, loadConfig, type ApiConfig } from "../config.js";
import {
  DEMO_CLIENT_SECRET,
  upsertScopes,
  upsertWebClient,
  WEB_CLIENT_ID,
} from "../db/bootstrap.js";
import { createClientRepository, grantTypes, type GrantType } from "../db/clients.js";
import { openDatabase, type Database } from "../db/database.js";
import { demoUsers, loadDemoData } from "../db/demo-data.js";
import { createScopeRepository } from "../db/scopes.js";
import { redirectUriProblem } from "../oauth/redirect-uri.js";
import { createTokenRepository } from "../db/tokens.js";
import { createUserRepository, type UserWithHash } from "../db/users.js";
import { startServer } from "../server.js";
import { createServices } from "../services.js";
import { commandUsage, generalUsage, isCommandName, PROGRAM, type CommandName } from "./usage.js";

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Where the CLI reads its environment and writes its output; tests can pass their own. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  env: process.env,
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

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

type Options = NonNullable<ParseArgsConfig["options"]>;

interface Parsed {
  positionals: string[];
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
}

function parse(command: CommandName, args: string[], options: Options): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
    return { values, positionals };
  } catch (error) {
    // parseArgs reports unknown options and missing option values as TypeErrors with a code.
    if (error instanceof TypeError && "code" in error) throw new UsageError(error.message, command);
    throw error;
  }
}

function stringOption(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === "string" ? value : undefined;
}

/** A repeatable option whose values may also be comma-separated: `--role a --role b,c`. */
function listOption(parsed: Parsed, name: string): string[] {
  const value = parsed.values[name];
  const raw = Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
  const items = raw
    .filter((item): item is string => typeof item === "string")
    .flatMap((item) => item.split(","))
    .map((item) => item.trim())
    .filter(Boolean);
  return [...new Set(items)];
}

function exactPositionals(command: CommandName, parsed: Parsed, names: string[]): string[] {
  const { positionals } = parsed;
  if (positionals.length < names.length) {
    throw new UsageError(`missing <${names[positionals.length] ?? "argument"}>`, command);
  }
  if (positionals.length > names.length) {
    throw new UsageError(`unexpected argument "${positionals[names.length] ?? ""}"`, command);
  }
  for (const [index, value] of positionals.entries()) {
    if (value.trim() === "")
      throw new UsageError(`<${names[index] ?? "argument"}> is empty`, command);
  }
  return positionals;
}

function randomSecret(): string {
  return randomBytes(18).toString("base64url");
}

/** --password, else NEW_PASSWORD, else a random one (reported so it can be printed once). */
function passwordFrom(
  command: CommandName,
  parsed: Parsed,
  env: NodeJS.ProcessEnv,
): { password: string; generated: boolean } {
  const given = stringOption(parsed, "password") ?? env.NEW_PASSWORD;
  if (given === undefined) return { password: randomSecret(), generated: true };
  if (given === "") throw new UsageError("the password is empty", command);
  return { password: given, generated: false };
}

/** Opens the configured database; commands that change existing users need it to exist already. */
function withDatabase<T>(
  config: ApiConfig,
  mustExist: boolean,
  fn: (db: Database) => Promise<T>,
): Promise<T> {
  const path = config.databasePath;
  if (mustExist && path !== ":memory:" && !existsSync(path)) {
    throw new CommandFailure(`No database at ${path} (set DATABASE_PATH).`);
  }
  const db = openDatabase(path);
  return fn(db).finally(() => db.close());
}

function findUser(db: Database, name: string): UserWithHash {
  const user = createUserRepository(db).findByNameOrMail(name);
  if (!user) throw new CommandFailure(`No user named "${name}".`);
  return user;
}

interface Context {
  args: string[];
  io: CliIo;
  /** Loaded lazily so `--help` works even with a broken configuration. */
  config(): ApiConfig;
}

type Handler = (context: Context) => Promise<number>;

const handlers: Record<CommandName, Handler> = {
  async serve({ args, io }) {
    const parsed = parse("serve", args, {});
    if (parsed.values.help) return help(io, "serve");
    exactPositionals("serve", parsed, []);
    await startServer(io.env);
    return EXIT_OK;
  },

  async "user:add"({ args, io, config }) {
    const options: Options = {
      mail: { type: "string" },
      role: { type: "string", multiple: true },
      password: { type: "string" },
    };
    const parsed = parse("user:add", args, options);
    if (parsed.values.help) return help(io, "user:add");
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
      throw new UsageError(
        `unknown role "${unknownRole}" (roles: ${roles.join(", ")})`,
        "user:add",
      );
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
  },

  async "user:password"({ args, io, config }) {
    const parsed = parse("user:password", args, { password: { type: "string" } });
    if (parsed.values.help) return help(io, "user:password");
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
  },

  async "user:block"({ args, io, config }) {
    const parsed = parse("user:block", args, {});
    if (parsed.values.help) return help(io, "user:block");
    const [name = ""] = exactPositionals("user:block", parsed, ["name"]);
    return withDatabase(config(), true, async (db) => {
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
  },

  async "user:unblock"({ args, io, config }) {
    const parsed = parse("user:unblock", args, {});
    if (parsed.values.help) return help(io, "user:unblock");
    const [name = ""] = exactPositionals("user:unblock", parsed, ["name"]);
    return withDatabase(config(), true, async (db) => {
      const user = findUser(db, name);
      createUserRepository(db).setStatus(user.uid, true);
      io.out(`Unblocked ${user.name} (uid ${user.uid}).`);
      return EXIT_OK;
    });
  },

  async "user:revoke-tokens"({ args, io, config }) {
    const parsed = parse("user:revoke-tokens", args, {});
    if (parsed.values.help) return help(io, "user:revoke-tokens");
    const [name = ""] = exactPositionals("user:revoke-tokens", parsed, ["name"]);
    return withDatabase(config(), true, async (db) => {
      const user = findUser(db, name);
      const revoked = createTokenRepository(db).revokeUser(user.uid);
      io.out(`Revoked ${revoked} token row(s) of ${user.name} (uid ${user.uid}).`);
      return EXIT_OK;
    });
  },

  async "client:add"({ args, io, config }) {
    const options: Options = {
      secret: { type: "string" },
      grant: { type: "string", multiple: true },
      scope: { type: "string", multiple: true },
      public: { type: "boolean" },
      label: { type: "string" },
      user: { type: "string" },
      "redirect-uri": { type: "string", multiple: true },
      "skip-consent": { type: "boolean" },
    };
    const parsed = parse("client:add", args, options);
    if (parsed.values.help) return help(io, "client:add");
    const [clientId = ""] = exactPositionals("client:add", parsed, ["client_id"]);
    const isPublic = parsed.values.public === true;

    const grantNames = listOption(parsed, "grant");
    const grants = grantNames.length > 0 ? grantNames : ["password", "refresh_token"];
    const unknownGrant = grants.find((grant) => !(grantTypes as readonly string[]).includes(grant));
    if (unknownGrant !== undefined) {
      throw new UsageError(
        `unknown grant "${unknownGrant}" (grants: ${grantTypes.join(", ")})`,
        "client:add",
      );
    }
    const clientGrants = grants as GrantType[];
    const userName = stringOption(parsed, "user");
    if (clientGrants.includes("client_credentials") && userName === undefined) {
      throw new UsageError("the client_credentials grant needs --user <name>", "client:add");
    }
    if (isPublic && clientGrants.includes("client_credentials")) {
      throw new UsageError("a --public client cannot use client_credentials", "client:add");
    }
    // Repeated, never comma-split: a redirect URI may contain a comma in its query.
    const rawRedirects = parsed.values["redirect-uri"];
    const redirectUris = [
      ...new Set(
        (Array.isArray(rawRedirects) ? rawRedirects : []).filter(
          (uri): uri is string => typeof uri === "string",
        ),
      ),
    ];
    for (const uri of redirectUris) {
      const problem = redirectUriProblem(uri);
      if (problem !== undefined) {
        throw new UsageError(`--redirect-uri "${uri}" ${problem}`, "client:add");
      }
    }
    const codeFlow = clientGrants.includes("authorization_code");
    if (codeFlow && redirectUris.length === 0) {
      throw new UsageError("the authorization_code grant needs --redirect-uri <uri>", "client:add");
    }
    if (!codeFlow && (redirectUris.length > 0 || parsed.values["skip-consent"] === true)) {
      throw new UsageError(
        "--redirect-uri and --skip-consent need --grant authorization_code",
        "client:add",
      );
    }

    let secret: string | undefined;
    let generated = false;
    if (isPublic) {
      if (stringOption(parsed, "secret") !== undefined) {
        throw new UsageError("--public and --secret exclude each other", "client:add");
      }
    } else {
      secret = stringOption(parsed, "secret") ?? io.env.NEW_CLIENT_SECRET;
      if (secret === "") throw new UsageError("the secret is empty", "client:add");
      if (secret === undefined) {
        secret = randomSecret();
        generated = true;
      }
    }
    const scopeNames = listOption(parsed, "scope");

    return withDatabase(config(), false, async (db) => {
      const scopes = createScopeRepository(db);
      // The role scopes are created on the server's first start; before that, role names count.
      const unknownScope = scopeNames.find((name) => !scopes.find(name) && !isRole(name));
      if (unknownScope !== undefined) {
        throw new CommandFailure(`Unknown scope "${unknownScope}".`);
      }
      const defaultUser = userName === undefined ? null : findUser(db, userName).uid;
      const clients = createClientRepository(db);
      const existed = clients.find(clientId) !== undefined;
      clients.upsert({
        clientId,
        label: stringOption(parsed, "label") ?? clientId,
        secretHash: secret === undefined ? null : sha256(secret),
        confidential: !isPublic,
        grantTypes: clientGrants,
        defaultScopes: scopeNames,
        defaultUser,
        redirectUris,
        automaticAuthorization: parsed.values["skip-consent"] === true,
      });
      io.out(
        `${existed ? "Updated" : "Added"} ${isPublic ? "public" : "confidential"} client ${clientId} ` +
          `(grants: ${clientGrants.join(", ")}; scopes: ${scopeNames.join(", ") || "none"}` +
          `${codeFlow ? `; redirect URIs: ${redirectUris.join(" ")}` : ""}).`,
      );
      if (generated) io.out(`Generated client secret (shown once): ${secret ?? ""}`);
      return EXIT_OK;
    });
  },

  async "demo:load"({ args, io, config }) {
    const parsed = parse("demo:load", args, {});
    if (parsed.values.help) return help(io, "demo:load");
    exactPositionals("demo:load", parsed, []);
    const demoConfig: ApiConfig = { ...config(), demoData: true };
    return withDatabase(demoConfig, false, async (db) => {
      const services = createServices(demoConfig, db);
      upsertScopes(services.scopes);
      const secret = demoConfig.clientSecret ?? DEMO_CLIENT_SECRET;
      const redirectUris =
        demoConfig.webRedirectUris.length > 0
          ? demoConfig.webRedirectUris
          : [DEMO_WEB_REDIRECT_URI];
      upsertWebClient(services.clients, sha256(secret), redirectUris);

      const missing = demoUsers.filter((demo) => !services.users.findByNameOrMail(demo.name));
      const articles = (db.prepare("SELECT COUNT(*) AS n FROM articles").get() as { n: number }).n;
      if (articles === 0) {
        // Creates the missing demo users (existing ones are kept) and the articles.
        await loadDemoData(services);
      } else {
        for (const demo of missing) {
          services.users.create({
            name: demo.name,
            mail: demo.mail,
            passHash: await hashPassword(demo.password),
            roles: [...demo.roles] as Role[],
          });
        }
      }
      const added = missing.map((demo) => demo.name).join(", ") || "none (all present)";
      io.out(`Demo users added: ${added}.`);
      io.out(articles === 0 ? "Demo articles added." : `Kept the ${articles} existing articles.`);
      io.out(
        `Client ${WEB_CLIENT_ID} is ready (secret from API_CLIENT_SECRET or the demo default).`,
      );
      return EXIT_OK;
    });
  },

  async help({ args, io }) {
    const [topic, ...rest] = args.filter((arg) => arg !== "--help" && arg !== "-h");
    if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0] ?? ""}"`, "help");
    if (topic === undefined) {
      if (args.length > 0) return help(io, "help"); // `help --help`
      io.out(generalUsage());
      return EXIT_OK;
    }
    if (!isCommandName(topic)) throw new UsageError(`unknown command "${topic}"`);
    return help(io, topic);
  },
};

function help(io: CliIo, command: CommandName): number {
  io.out(commandUsage(command));
  return EXIT_OK;
}

/**
 * Runs one command line (without the `node` and script arguments) and resolves to the exit
 * code. `serve` resolves once the server listens; the process then lives until a signal.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [first, ...rest] = argv;
  let command: CommandName;
  let args: string[];
  if (first === undefined) {
    command = "serve";
    args = [];
  } else if (first === "--help" || first === "-h") {
    command = "help";
    args = rest;
  } else if (isCommandName(first)) {
    command = first;
    args = rest;
  } else {
    io.err(
      first.startsWith("-")
        ? `${PROGRAM}: options go after the command: "${first}"`
        : `${PROGRAM}: unknown command "${first}"`,
    );
    io.err(`Run \`${PROGRAM} --help\` for the list of commands.`);
    return EXIT_USAGE;
  }

  let config: ApiConfig | undefined;
  const context: Context = {
    args,
    io,
    config: () => (config ??= loadConfig(io.env)),
  };
  try {
    return await handlers[command](context);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${PROGRAM} ${error.command ?? ""}: ${error.message}`.replace("  ", " "));
      io.err(`Run \`${PROGRAM} ${error.command ?? ""} --help\` for usage.`.replace("  ", " "));
      return EXIT_USAGE;
    }
    if (error instanceof ConfigError) {
      io.err(error.message);
      return EXIT_FAILURE;
    }
    if (error instanceof CommandFailure) {
      io.err(`${PROGRAM} ${command}: ${error.message}`);
      return EXIT_FAILURE;
    }
    io.err(`${PROGRAM} ${command} failed:`);
    io.err(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return EXIT_FAILURE;
  }
}
