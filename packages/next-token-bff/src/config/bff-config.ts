import { z } from "zod";
import { BffError } from "../errors/bff-error.js";
import { knownPublicSecrets } from "./demo-values.js";

const flag = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off", ""])
  .transform((value) => ["1", "true", "yes", "on"].includes(value));

const seconds = z.coerce.number().int().positive();
const optionalUrl = z.url().optional();

const required = (message: string) => z.string({ message }).min(1, message);

const envSchema = z.object({
  DEMO_MODE: flag.default(false),
  UPSTREAM_KIND: z.enum(["drupal", "oauth2", "oidc"]).default("drupal"),
  UPSTREAM_URL: z.url({
    message:
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
  UPSTREAM_REFRESH_TOKEN_TTL: seconds.default(1_209_600),
  SESSION_IDLE_TIMEOUT: seconds.default(30 * 60),
  SESSION_MAX_AGE: seconds.default(12 * 60 * 60),
  NEXTAUTH_URL: z.url({ message: "must be this app's public URL, e.g. https://app.example.com" }),
  NEXTAUTH_SECRET: z
    .string({ message: "is required: generate one with `openssl rand -base64 32`" })
    .min(32, "must be at least 32 characters: generate one with `openssl rand -base64 32`"),
});

/** `password`: the form (password grant); `code`: authorization code + PKCE at the upstream. */
export type SignInMethod = "password" | "code";

export interface BffConfig {
  demoMode: boolean;
  /** Which sign-in methods `/login` offers, in this order. Never empty. */
  signInMethods: SignInMethod[];
  upstream: {
    kind: "drupal" | "oauth2" | "oidc";
    /** Shown as "Sign in with <name>". */
    name: string;
    baseUrl: string;
    clientId: string;
    clientSecret: string;
    scope: string;
    tokenUrl: string | undefined;
    /** The authorization endpoint of an `oauth2` upstream (code flow); discovered otherwise. */
    authorizationUrl: string | undefined;
    revocationUrl: string | undefined;
    userinfoUrl: string | undefined;
    revokeAllUrl: string | undefined;
    refreshTokenLifetimeSeconds: number;
  };
  nextAuthUrl: string;
  secret: string;
  /** From NEXTAUTH_URL, never from a request: TLS may end at a proxy in front of us. */
  secureCookies: boolean;
  session: {
    idleTimeoutSeconds: number;
    /** Never longer than the upstream refresh token lives. */
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
    },
    nextAuthUrl: data.NEXTAUTH_URL,
    secret: data.NEXTAUTH_SECRET,
    secureCookies: data.NEXTAUTH_URL.startsWith("https://"),
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
