/** Help texts of the `reference-api` command line. */

export const PROGRAM = "reference-api";

export interface CommandHelp {
  synopsis: string;
  summary: string;
  options: ReadonlyArray<readonly [string, string]>;
  notes?: readonly string[];
}

const passwordNote =
  "Password: --password, else the NEW_PASSWORD env var, else a random one printed once. " +
  "Prefer NEW_PASSWORD: command-line arguments show up in the process list and shell history.";

export const commandHelp = {
  serve: {
    synopsis: "serve [--compat 5|6]",
    summary: "Start the API server (the default when no command is given).",
    options: [
      [
        "--compat <5|6>",
        "answer like simple_oauth 5.x or 6.x (default API_COMPAT, else 6); 5: client ids are UUIDs",
      ],
    ],
    notes: [
      "Listens on API_HOST:API_PORT (API_PORT=0 picks a free port) and stops cleanly on SIGINT/SIGTERM.",
      "On first start it creates the database, the signing key, the scopes, the `next-web` client and,",
      "with DEMO_DATA on, the demo users and articles.",
    ],
  },
  "user:add": {
    synopsis: "user:add <name> --mail <mail> --role <role>[,<role>] [--password <password>]",
    summary: "Create an active user.",
    options: [
      ["--mail <mail>", "e-mail address (required, unique)"],
      ["--role <role>", "reader, editor or administrator; repeat or comma-separate (required)"],
      ["--password <password>", "the password (see below)"],
    ],
    notes: [passwordNote],
  },
  "user:password": {
    synopsis: "user:password <name> [--password <password>]",
    summary:
      "Set a user's password; the user's access tokens are revoked (as Drupal does on save).",
    options: [["--password <password>", "the new password (see below)"]],
    notes: [passwordNote],
  },
  "user:block": {
    synopsis: "user:block <name>",
    summary: "Block a user and revoke all of its access and refresh tokens at once.",
    options: [],
  },
  "user:unblock": {
    synopsis: "user:unblock <name>",
    summary: "Unblock a user (revoked tokens stay revoked; the user signs in again).",
    options: [],
  },
  "user:revoke-tokens": {
    synopsis: "user:revoke-tokens <name>",
    summary: "Revoke all access and refresh tokens of a user (signs it out everywhere).",
    options: [],
  },
  "client:add": {
    synopsis:
      "client:add <client_id> [--secret <secret>] [--grant <grants>] [--scope <scopes>] [--public] [--redirect-uri <uri>]...",
    summary: "Create or update an OAuth client (a Drupal consumer).",
    options: [
      [
        "--secret <secret>",
        "client secret; else NEW_CLIENT_SECRET, else a random one printed once",
      ],
      [
        "--grant <grants>",
        "password, refresh_token, client_credentials, authorization_code; comma-separated (default password,refresh_token)",
      ],
      [
        "--scope <scopes>",
        "default scopes, comma-separated (reader, editor, administrator, openid)",
      ],
      ["--public", "a public client: no secret"],
      ["--label <label>", "a human-readable name (default: the client id)"],
      ["--user <name>", "the user client_credentials tokens act as (required for that grant)"],
      [
        "--redirect-uri <uri>",
        "an exact redirect URI of the authorization code flow; repeat for more (required for that grant)",
      ],
      ["--skip-consent", "a first-party client: no consent page (automatic authorization)"],
    ],
    notes: [
      "Options replace what an existing client had. Scopes: reader, editor, administrator, openid.",
      "The authorization code flow always needs PKCE (S256).",
    ],
  },
  "demo:load": {
    synopsis: "demo:load",
    summary:
      "Load the demo users (alice, bob, admin) and articles, the scopes and the `next-web` client.",
    options: [],
    notes: [
      "Existing demo users are kept as they are; articles are added only when there are none.",
      "The next-web secret is API_CLIENT_SECRET, else `next-web-secret`.",
    ],
  },
  help: {
    synopsis: "help [<command>]",
    summary: "Show this text, or the help of one command.",
    options: [],
  },
} as const satisfies Record<string, CommandHelp>;

export type CommandName = keyof typeof commandHelp;

export function isCommandName(value: string): value is CommandName {
  return Object.hasOwn(commandHelp, value);
}

const environment: ReadonlyArray<readonly [string, string]> = [
  ["DATABASE_PATH", "SQLite file (default apps/api/data/reference-api.sqlite); all commands"],
  ["NEW_PASSWORD", "password for user:add / user:password when --password is not given"],
  ["NEW_CLIENT_SECRET", "secret for client:add when --secret is not given"],
  ["API_HOST", "serve: listen address (default 127.0.0.1)"],
  ["API_PORT", "serve: port (default 4000; 0 = any free port)"],
  ["API_ISSUER", "serve: `iss` of access tokens (default http://API_HOST:API_PORT/)"],
  ["API_COMPAT", "serve: 6 (simple_oauth 6.x, default) or 5 (5.x wire format; also --compat)"],
  ["ACCESS_TOKEN_TTL", "serve: access token lifetime in seconds (default 300)"],
  ["REFRESH_TOKEN_TTL", "serve: refresh token lifetime in seconds (default 1209600)"],
  [
    "REFRESH_REUSE_INTERVAL",
    "serve: seconds a just-rotated refresh token gets the same answer again (default 30; 0 = off)",
  ],
  ["DEMO_DATA", "serve: load demo data into an empty database (default on)"],
  [
    "API_CLIENT_SECRET",
    "serve, demo:load: secret of the `next-web` client (required without demo data)",
  ],
  [
    "API_WEB_REDIRECT_URIS",
    "serve, demo:load: comma-separated redirect URIs of `next-web` (code flow)",
  ],
  ["TRUSTED_PROXIES", "serve: comma-separated proxy addresses whose X-Forwarded-For is trusted"],
  [
    "LOGIN_FAILURES_PER_USER",
    "serve: failed logins per account and client address before 429 (default 5)",
  ],
  ["LOGIN_FAILURE_WINDOW", "serve: that window in seconds (default 21600)"],
  ["LOGIN_FAILURES_PER_IP", "serve: failed logins per client address before 429 (default 50)"],
  ["LOGIN_FAILURE_IP_WINDOW", "serve: that window in seconds (default 3600)"],
  [
    "LOGIN_SLOWDOWN_AFTER",
    "serve: an account's failures (any address) before its answers are delayed (default 5)",
  ],
  ["LOGIN_SLOWDOWN_START_MS", "serve: the first delay, doubling with each failure (default 500)"],
  ["LOGIN_SLOWDOWN_MAX_MS", "serve: the longest delay; 0 = no slow-down (default 5000)"],
  ["LOG_LEVEL", "serve: fatal, error, warn, info, debug, trace or silent (default info)"],
];

const exitCodes = "Exit codes: 0 success, 1 failure (also bad configuration), 2 usage error.";

function table(rows: ReadonlyArray<readonly [string, string]>, indent = "  "): string {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `${indent}${left.padEnd(width)}  ${right}`).join("\n");
}

export function generalUsage(): string {
  const commands = Object.values(commandHelp).map((help) => [help.synopsis, help.summary] as const);
  return [
    `Usage: ${PROGRAM} [<command>] [options]`,
    "",
    "The Drupal-compatible reference API: the server and its administration commands.",
    "Commands work on the DATABASE_PATH database, also while a server runs on it.",
    "",
    "Commands:",
    ...commands.map(([synopsis, summary]) => `  ${synopsis}\n      ${summary}`),
    "",
    "Options:",
    table([["-h, --help", "show help (also after a command: `user:add --help`)"]]),
    "",
    "Environment:",
    table(environment),
    "",
    exitCodes,
    "",
  ].join("\n");
}

export function commandUsage(name: CommandName): string {
  const help: CommandHelp = commandHelp[name];
  const lines = [`Usage: ${PROGRAM} ${help.synopsis}`, "", help.summary];
  const options: ReadonlyArray<readonly [string, string]> = [
    ...help.options,
    ["-h, --help", "show this help"],
  ];
  lines.push("", "Options:", table(options));
  if (help.notes) lines.push("", ...help.notes);
  lines.push("", `Environment: see \`${PROGRAM} --help\`.`, exitCodes, "");
  return lines.join("\n");
}
