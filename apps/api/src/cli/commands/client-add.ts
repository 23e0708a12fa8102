import { sha256 } from "../../auth/hash.js";
import { isRole } from "../../auth/permissions.js";
import { createClientRepository, grantTypes, type GrantType } from "../../db/clients.js";
import { createScopeRepository } from "../../db/scopes.js";
import { redirectUriProblem } from "../../oauth/redirect-uri.js";
import { exactPositionals, listOption, parse, stringOption, type Options } from "../arguments.js";
import { printCommandHelp, type CommandHandler } from "../command.js";
import { findUser, withDatabase } from "../database.js";
import { CommandFailure, UsageError } from "../errors.js";
import { EXIT_OK } from "../exit-codes.js";
import { randomSecret } from "../secrets.js";

/** `client:add <client_id> [options]`: creates or updates an OAuth client (a Drupal consumer). */
export const addClient: CommandHandler = async ({ args, io, config }) => {
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
  if (parsed.values.help) return printCommandHelp(io, "client:add");
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

  return withDatabase(config(), false, (db) => {
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
    // simple_oauth 5.x identifies a consumer by its UUID: the client id under API_COMPAT=5.
    io.out(`Its UUID (the client id with API_COMPAT=5): ${clients.find(clientId)?.uuid ?? ""}`);
    if (generated) io.out(`Generated client secret (shown once): ${secret ?? ""}`);
    return EXIT_OK;
  });
};
