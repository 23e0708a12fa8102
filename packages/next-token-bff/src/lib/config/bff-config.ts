import { z } from "zod";
import { BffError } from "../errors/bff-error.js";
import { knownPublicSecrets } from "./demo-values.js";

const flag = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off", ""])
  .transform((value) => ["1", "true", "yes", "on"].includes(value));

const seconds = z.coerce.number().int().positive();
const optionalUrl = z.url().optional();

const required = (message: string) => z.string({ error: message }).min(1, message);

const envSchema = z.object({
  DEMO_MODE: flag.default(false),
  UPSTREAM_KIND: z.enum(["drupal", "oauth2", "oidc"]).default("drupal"),
  UPSTREAM_URL: z.url({
    error:
      "must be the upstream's base URL (the issuer URL when UPSTREAM_KIND=oidc), e.g. http://127.0.0.1:4000",
  }),
  UPSTREAM_NAME: z.string().trim().max(60).optional(),
  SIGN_IN_METHODS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === "") return undefined;
      const methods = value.split(",").map((method) => method.trim());
      const unknown = methods.filter((method) => method !== "password" && method !== "code");
      if (unknown.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `must list \`password\` and/or \`code\` (comma-separated); unknown: ${unknown.join(", ")}`,
        });
        return z.NEVER;
      }
      return [...new Set(methods)] as SignInMethod[];
    }),
  UPSTREAM_AUTHORIZATION_URL: optionalUrl,
  UPSTREAM_CLIENT_ID: required("is required: the OAuth client id registered at the upstream"),
  UPSTREAM_CLIENT_SECRET: required("is required: that OAuth client's secret"),
  UPSTREAM_SCOPE: z.string().default(""),
  UPSTREAM_TOKEN_URL: optionalUrl,
  UPSTREAM_REVOCATION_URL: optionalUrl,
  UPSTREAM_USERINFO_URL: optionalUrl,
  UPSTREAM_REVOKE_ALL_URL: optionalUrl,
  UPSTREAM_PATHS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === "") return undefined;
      const prefixes = value
        .split(",")
        .map((prefix) => prefix.trim())
        .filter((prefix) => prefix.length > 0);
      const bad = prefixes.filter(
        (prefix) => prefix === "/" || !prefix.startsWith("/") || /\.\.|\/\/|[?#%\\\s]/.test(prefix),
      );
      if (bad.length > 0 || prefixes.length === 0) {
        ctx.addIssue({
          code: "custom",
          message: `must list the upstream path prefixes the proxy may reach, comma-separated, e.g. /api/,/v2/ (absolute, not / alone); refused: ${bad.join(", ")}`,
        });
        return z.NEVER;
      }
      return prefixes;
    }),
  UPSTREAM_ROLES_CLAIM: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z0-9_:$-]+(\.[A-Za-z0-9_:$-]+)*$/,
      "must be a claim name or a dotted path, e.g. realm_access.roles",
    )
    .default("roles"),
  UPSTREAM_SEND_SCOPE_ON_REFRESH: flag.default(false),
  UPSTREAM_TOKEN_TIMEOUT: z.coerce.number().min(1).max(120).default(30),
  SIGN_IN_IDENTIFIER_LABEL: z.string().trim().min(1).max(40).optional(),
  UPSTREAM_REFRESH_TOKEN_TTL: seconds.default(1_209_600),
  SESSION_IDLE_TIMEOUT: seconds.default(30 * 60),
  // Drupal's flood control: 5 per (user, address) in 6 h, 50 per address in 1 h.
  SIGN_IN_LIMIT_PER_ACCOUNT_ADDRESS: z.coerce.number().int().positive().default(5),
  SIGN_IN_LIMIT_ACCOUNT_WINDOW: seconds.default(6 * 60 * 60),
  SIGN_IN_LIMIT_PER_ADDRESS: z.coerce.number().int().positive().default(50),
  SIGN_IN_LIMIT_ADDRESS_WINDOW: seconds.default(60 * 60),
  SIGN_IN_LIMIT_ACCOUNT_DELAY_AFTER: z.coerce.number().int().positive().default(10),
  SIGN_IN_LIMIT_ACCOUNT_DELAY_MAX: z.coerce.number().int().min(0).max(60).default(10),
  UPSTREAM_REQUEST_BODY_TIMEOUT: seconds.default(30),
  UPSTREAM_MAX_CONCURRENT_PER_SESSION: z.coerce.number().int().positive().default(16),
  TRUSTED_PROXY_HOPS: z.coerce
    .number({ error: "must be the number of reverse proxies in front of this app, e.g. 1" })
    .int()
    .min(0)
    .max(10)
    .default(0),
  SESSION_MAX_AGE: seconds.default(12 * 60 * 60),
  NEXTAUTH_URL: z.url({ error: "must be this app's public URL, e.g. https://app.example.com" }),
  NEXTAUTH_SECRET: z
    .string({ error: "is required: generate one with `openssl rand -base64 32`" })
    .min(32, "must be at least 32 characters: generate one with `openssl rand -base64 32`"),
});

/** `password`: the form (password grant); `code`: authorization code + PKCE at the upstream. */
export type SignInMethod = "password" | "code";

/** The checked configuration {@link loadBffConfig} builds from environment variables. */
export interface BffConfig {
  /** `DEMO_MODE`: allows the public demo secret and offers both sign-in methods. Default: `false`. */
  demoMode: boolean;
  /**
   * `SIGN_IN_METHODS`: which sign-in methods `/login` offers, in this order. Never empty.
   * Default: `["password", "code"]` in demo mode, `["password"]` otherwise.
   */
  signInMethods: SignInMethod[];
  /** The upstream that signs users in and issues their tokens. */
  upstream: {
    /** `UPSTREAM_KIND`: which provider talks to the upstream. Default: `"drupal"`. */
    kind: "drupal" | "oauth2" | "oidc";
    /**
     * `UPSTREAM_NAME`: shown as "Sign in with <name>".
     * Default: `Drupal`, `OAuth` or `OpenID Connect`, after `kind`.
     */
    name: string;
    /** `UPSTREAM_URL`: the upstream's base URL (the issuer URL for `oidc`). Required. */
    baseUrl: string;
    /** `UPSTREAM_CLIENT_ID`: the OAuth client id registered at the upstream. Required. */
    clientId: string;
    /** `UPSTREAM_CLIENT_SECRET`: that client's secret. Required. */
    clientSecret: string;
    /** `UPSTREAM_SCOPE`: space-separated scopes, trimmed. Default: `""` (none asked for). */
    scope: string;
    /**
     * `UPSTREAM_TOKEN_URL`: the token endpoint. Required when `kind` is `oauth2`; unused otherwise.
     * Default: `undefined`.
     */
    tokenUrl: string | undefined;
    /**
     * `UPSTREAM_AUTHORIZATION_URL`: the authorization endpoint of an `oauth2` upstream (code
     * flow); discovered otherwise. Required for `oauth2` with the `code` method.
     * Default: `undefined`.
     */
    authorizationUrl: string | undefined;
    /** `UPSTREAM_REVOCATION_URL`: RFC 7009 token revocation endpoint (`oauth2` only). Default: `undefined`. */
    revocationUrl: string | undefined;
    /** `UPSTREAM_USERINFO_URL`: OpenID Connect userinfo endpoint (`oauth2` only). Default: `undefined`. */
    userinfoUrl: string | undefined;
    /**
     * `UPSTREAM_REVOKE_ALL_URL`: an endpoint that revokes all of a user's tokens, used by
     * "sign out everywhere" (`oauth2` only). Default: `undefined`.
     */
    revokeAllUrl: string | undefined;
    /**
     * `UPSTREAM_REFRESH_TOKEN_TTL`: how long the upstream's refresh tokens live, in seconds; it
     * caps the session's absolute lifetime. Default: `1209600` (14 days).
     */
    refreshTokenLifetimeSeconds: number;
    /**
     * `UPSTREAM_PATHS`: the upstream path prefixes the proxy route and `bff.upstream` may reach
     * (a prefix `/x/` also allows `/x`). Required unless `kind` is `drupal`.
     * Default: `["/jsonapi/"]` for `drupal`.
     */
    pathPrefixes: string[];
    /**
     * `UPSTREAM_ROLES_CLAIM`: the claim of userinfo or the id_token (or a JWT access token) that
     * lists the person's roles; a dotted path reaches into objects (`realm_access.roles`).
     * Roles never come from the requested scope. Default: `roles`.
     */
    rolesClaim: string;
    /**
     * `UPSTREAM_SEND_SCOPE_ON_REFRESH`: send `scope` with `refresh_token` grants. RFC 6749 §6:
     * without it the original grant applies, which every server tested here prefers.
     * Default: `false`.
     */
    sendScopeOnRefresh: boolean;
    /**
     * `UPSTREAM_TOKEN_TIMEOUT`: seconds a token request (sign-in, refresh) may take; longer than
     * reads, because a refresh that times out has an unknown outcome. Default: `30`.
     */
    tokenTimeoutSeconds: number;
  };
  /**
   * `SIGN_IN_IDENTIFIER_LABEL`: the label of the sign-in form's first field, for upstreams
   * that sign in by e-mail address or another identifier. Default: `Username`.
   */
  signInIdentifierLabel: string;
  /** `NEXTAUTH_URL`: this app's public URL. Required. */
  nextAuthUrl: string;
  /** `NEXTAUTH_SECRET`: encrypts the session JWT; at least 32 characters. Required. */
  secret: string;
  /**
   * Whether cookies are `Secure`. From NEXTAUTH_URL, never from a request: TLS may end at a
   * proxy in front of us. Default: `true` when `NEXTAUTH_URL` starts with `https://`.
   */
  secureCookies: boolean;
  /** Failed sign-ins allowed per (account, browser address) and per address (catalogue C1). */
  signInLimits: SignInLimits;
  /**
   * `TRUSTED_PROXY_HOPS`: how many reverse proxies in front of this app append the client's
   * address to `X-Forwarded-For`; the browser's address is read that many entries from the
   * right. With `0` (the app faces browsers, which can then choose their own address) no
   * address is sent upstream. Required in production (`NODE_ENV=production` outside demo
   * mode), `0` included. Default: `0`.
   */
  trustedProxyHops: number;
  /** Limits of the upstream proxy route per request and per session (catalogue B10). */
  upstreamRequests: {
    /**
     * `UPSTREAM_REQUEST_BODY_TIMEOUT`: seconds a request body may take to arrive in full,
     * before it is sent upstream; 408 `request_timeout` after. Default: `30`.
     */
    bodyTimeoutSeconds: number;
    /**
     * `UPSTREAM_MAX_CONCURRENT_PER_SESSION`: proxied requests one session may have in flight
     * in this process; 429 `too_many_requests` with `Retry-After` beyond. Default: `16`.
     */
    maxConcurrentPerSession: number;
  };
  /** How long a session may last. */
  session: {
    /** `SESSION_IDLE_TIMEOUT`: seconds without activity before the session ends. Default: `1800` (30 min). */
    idleTimeoutSeconds: number;
    /**
     * `SESSION_MAX_AGE`: seconds from sign-in before the session ends, never longer than the
     * upstream refresh token lives. Default: `43200` (12 h), capped by `refreshTokenLifetimeSeconds`.
     */
    absoluteLifetimeSeconds: number;
  };
}

/**
 * Reads and checks the configuration; every problem is reported at once, each with what to fix.
 * Throws `BffError("misconfigured")`.
 */
export function loadBffConfig(env: Record<string, string | undefined>): BffConfig {
  const result = envSchema.safeParse(env);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);

  // Checked on the raw values too, so they are reported with the schema's problems.
  const demoMode = flag.safeParse(env.DEMO_MODE ?? "").data ?? false;
  if (!demoMode && env.NEXTAUTH_SECRET && knownPublicSecrets.includes(env.NEXTAUTH_SECRET)) {
    problems.push(
      "NEXTAUTH_SECRET is the public demo value; outside demo mode (DEMO_MODE=1) set a secret of your own",
    );
  }
  if (env.UPSTREAM_KIND === "oauth2" && !env.UPSTREAM_TOKEN_URL) {
    problems.push("UPSTREAM_TOKEN_URL is required when UPSTREAM_KIND=oauth2");
  }
  const methods = result.success ? signInMethodsOf(result.data.SIGN_IN_METHODS, demoMode) : [];
  if (
    env.UPSTREAM_KIND === "oauth2" &&
    methods.includes("code") &&
    !env.UPSTREAM_AUTHORIZATION_URL
  ) {
    problems.push(
      "UPSTREAM_AUTHORIZATION_URL is required when UPSTREAM_KIND=oauth2 and SIGN_IN_METHODS includes code",
    );
  }
  const kind = env.UPSTREAM_KIND ?? "drupal";
  if (kind !== "drupal" && (env.UPSTREAM_PATHS ?? "").trim() === "") {
    problems.push(
      `UPSTREAM_PATHS is required when UPSTREAM_KIND=${kind}: the upstream path prefixes the proxy (and bff.upstream) may reach, comma-separated, e.g. /api/ (only drupal has a default, /jsonapi/)`,
    );
  }
  problems.push(...deploymentProblems(env, demoMode));
  if (!result.success || problems.length > 0) {
    throw new BffError(
      "misconfigured",
      `Invalid sign-in configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }

  const data = result.data;
  return {
    demoMode: data.DEMO_MODE,
    signInMethods: methods,
    upstream: {
      kind: data.UPSTREAM_KIND,
      name: data.UPSTREAM_NAME || defaultUpstreamName[data.UPSTREAM_KIND],
      baseUrl: data.UPSTREAM_URL,
      clientId: data.UPSTREAM_CLIENT_ID,
      clientSecret: data.UPSTREAM_CLIENT_SECRET,
      scope: data.UPSTREAM_SCOPE.trim(),
      tokenUrl: data.UPSTREAM_TOKEN_URL,
      authorizationUrl: data.UPSTREAM_AUTHORIZATION_URL,
      revocationUrl: data.UPSTREAM_REVOCATION_URL,
      userinfoUrl: data.UPSTREAM_USERINFO_URL,
      revokeAllUrl: data.UPSTREAM_REVOKE_ALL_URL,
      refreshTokenLifetimeSeconds: data.UPSTREAM_REFRESH_TOKEN_TTL,
      pathPrefixes: data.UPSTREAM_PATHS ?? ["/jsonapi/"],
      rolesClaim: data.UPSTREAM_ROLES_CLAIM,
      sendScopeOnRefresh: data.UPSTREAM_SEND_SCOPE_ON_REFRESH,
      tokenTimeoutSeconds: data.UPSTREAM_TOKEN_TIMEOUT,
    },
    signInIdentifierLabel: data.SIGN_IN_IDENTIFIER_LABEL ?? "Username",
    nextAuthUrl: data.NEXTAUTH_URL,
    secret: data.NEXTAUTH_SECRET,
    secureCookies: data.NEXTAUTH_URL.startsWith("https://"),
    signInLimits: {
      perAccountAndAddress: data.SIGN_IN_LIMIT_PER_ACCOUNT_ADDRESS,
      accountWindowSeconds: data.SIGN_IN_LIMIT_ACCOUNT_WINDOW,
      perAddress: data.SIGN_IN_LIMIT_PER_ADDRESS,
      addressWindowSeconds: data.SIGN_IN_LIMIT_ADDRESS_WINDOW,
      accountDelayAfter: data.SIGN_IN_LIMIT_ACCOUNT_DELAY_AFTER,
      accountDelayMaxSeconds: data.SIGN_IN_LIMIT_ACCOUNT_DELAY_MAX,
    },
    trustedProxyHops: data.TRUSTED_PROXY_HOPS,
    upstreamRequests: {
      bodyTimeoutSeconds: data.UPSTREAM_REQUEST_BODY_TIMEOUT,
      maxConcurrentPerSession: data.UPSTREAM_MAX_CONCURRENT_PER_SESSION,
    },
    session: {
      idleTimeoutSeconds: data.SESSION_IDLE_TIMEOUT,
      absoluteLifetimeSeconds: Math.min(data.SESSION_MAX_AGE, data.UPSTREAM_REFRESH_TOKEN_TTL),
    },
  };
}

const defaultUpstreamName: Record<BffConfig["upstream"]["kind"], string> = {
  drupal: "Drupal",
  oauth2: "OAuth",
  oidc: "OpenID Connect",
};

/** Default: both methods in demo mode, the password form alone otherwise. */
function signInMethodsOf(listed: SignInMethod[] | undefined, demoMode: boolean): SignInMethod[] {
  if (listed !== undefined && listed.length > 0) return listed;
  return demoMode ? ["password", "code"] : ["password"];
}

/** Variables replaced in issue 20 (see docs/security.md, C1): named rather than ignored. */
const replacedVariables: Record<string, string> = {
  SIGN_IN_LIMIT_PER_ACCOUNT:
    "no longer locks an account: failures count per (account, address) (SIGN_IN_LIMIT_PER_ACCOUNT_ADDRESS) and the account-wide count only slows sign-ins down (SIGN_IN_LIMIT_ACCOUNT_DELAY_AFTER, SIGN_IN_LIMIT_ACCOUNT_DELAY_MAX); remove it",
  SIGN_IN_LIMIT_WINDOW:
    "was split into SIGN_IN_LIMIT_ACCOUNT_WINDOW (default 21600) and SIGN_IN_LIMIT_ADDRESS_WINDOW (default 3600); remove it",
};

/**
 * Problems of the deployment rather than of one value: replaced variables, and a production
 * start that does not say how many proxies stand in front (the sign-in limits and the address
 * sent upstream depend on it; catalogue C1).
 */
function deploymentProblems(env: Record<string, string | undefined>, demoMode: boolean): string[] {
  const problems = Object.entries(replacedVariables)
    .filter(([name]) => env[name] !== undefined && env[name] !== "")
    .map(([name, what]) => `${name} ${what}`);
  const production = env.NODE_ENV === "production";
  if (production && !demoMode && (env.TRUSTED_PROXY_HOPS ?? "").trim() === "") {
    problems.push(
      "TRUSTED_PROXY_HOPS must be set in production: the number of reverse proxies in front of this app that append the browser's address to X-Forwarded-For (e.g. 1), or 0 when browsers connect to it directly (then no address is sent upstream and clients can choose the address the sign-in limits count)",
    );
  }
  return problems;
}

/**
 * How many failed sign-ins are allowed (catalogue C1). The defaults follow Drupal's flood
 * control; nothing a stranger does refuses a correct password from an address that has not
 * failed: the account-wide count only slows sign-ins down, by a capped delay.
 */
export interface SignInLimits {
  /**
   * `SIGN_IN_LIMIT_PER_ACCOUNT_ADDRESS`: wrong passwords for one account from one browser
   * address within `accountWindowSeconds`; then that pair is refused until the window ends.
   * Default: `5` (Drupal's `user_limit`).
   */
  perAccountAndAddress: number;
  /** `SIGN_IN_LIMIT_ACCOUNT_WINDOW`: seconds. Default: `21600` (6 h, Drupal's `user_window`). */
  accountWindowSeconds: number;
  /**
   * `SIGN_IN_LIMIT_PER_ADDRESS`: wrong passwords from one browser address, for any accounts,
   * within `addressWindowSeconds`; then the address is refused. Default: `50` (Drupal's `ip_limit`).
   */
  perAddress: number;
  /** `SIGN_IN_LIMIT_ADDRESS_WINDOW`: seconds. Default: `3600` (1 h, Drupal's `ip_window`). */
  addressWindowSeconds: number;
  /**
   * `SIGN_IN_LIMIT_ACCOUNT_DELAY_AFTER`: wrong passwords for one account, from all addresses
   * within `accountWindowSeconds`, before every sign-in of it waits: 1 s at this count, doubling
   * with each further one. Default: `10`.
   */
  accountDelayAfter: number;
  /** `SIGN_IN_LIMIT_ACCOUNT_DELAY_MAX`: the longest such wait, seconds (0–60; 0: none). Default: `10`. */
  accountDelayMaxSeconds: number;
}
