import { BffError } from "../errors/bff-error.js";
import type { Logger } from "../runtime/logger.js";
import { classifyAnswer } from "./classify.js";
import { type UpstreamResponse, callUpstream, headerValue } from "./http-client.js";
import { isNoRefreshToken, noRefreshToken } from "./no-refresh-token.js";
import { providerLog } from "./provider-log.js";
import { parseRetryAfter } from "./retry-after.js";
import { unverifiedTokenClaims } from "./token-claims.js";
import { accountRefused } from "./token-errors.js";
import type {
  UpstreamAnswerPeek,
  UpstreamProvider,
  UpstreamTokens,
  UpstreamVerdict,
} from "./types.js";
import { rolesAt } from "./user-claims.js";

/** A JSON value whose strings may name `{username}`, `{password}`, `{refreshToken}`, `{accessToken}`. */
export type JsonTemplate =
  string | number | boolean | null | JsonTemplate[] | { [key: string]: JsonTemplate };

/** One call of a {@link JsonTokenProviderConfig}. */
export interface JsonTokenRequest {
  /** A path below `baseUrl` (`/auth/login`) or an absolute URL. Required. */
  path: string;
  /** Default: `POST`, `GET` for `user`. */
  method?: "GET" | "POST" | "DELETE";
  /** Sent as JSON, the placeholders filled in. Default: no body. */
  body?: JsonTemplate;
  /** Send `Authorization: Bearer <access token>`. Default: `false` (`true` for `user`). */
  bearer?: boolean;
}

/** Where the access token's expiry is in an answer, and what kind of number or text it is. */
export interface JsonTokenExpiry {
  /** Dotted path in the answer, e.g. `data.expires`. Required. */
  path: string;
  /** A lifetime (`seconds`, `milliseconds`) or a point in time (`epoch-seconds`, `epoch-milliseconds`, `date`). Required. */
  as: "seconds" | "milliseconds" | "epoch-seconds" | "epoch-milliseconds" | "date";
}

/** Options of {@link createJsonTokenProvider}; paths in answers are dotted (`data.access_token`). */
export interface JsonTokenProviderConfig {
  /** Name in logs. Required. */
  id: string;
  /** The API's base URL (usually the configuration's `upstream.baseUrl`). Required. */
  baseUrl: string;
  /** The sign-in call; 2xx signs in, 400/401/403/422 is a wrong password, 429 too many attempts. Required. */
  signIn: JsonTokenRequest & {
    /** Statuses that mean a blocked or disabled account (`account_disabled`). Default: none. */
    disabledStatuses?: number[];
  };
  /** The refresh call; 400/401/403 end the session. Default: none (sessions end with the access token). */
  refresh?: JsonTokenRequest;
  /** The sign-out call; with `bearer`, the library refreshes first when the access token has expired. Default: none. */
  revoke?: JsonTokenRequest;
  /** Where the tokens are in the sign-in and refresh answers. Required. */
  tokens: {
    /** The access token. Required. */
    accessToken: string;
    /** The refresh token. Default: none issued (a refresh answer without one keeps the old). */
    refreshToken?: string;
    /** The access token's expiry. Default: the JWT's `exp`, else `accessTokenLifetimeSeconds`. */
    expires?: JsonTokenExpiry;
  };
  /** Who signed in: a call (with the bearer) and where the fields are in its answer. Required. */
  user: JsonTokenRequest & {
    fields: {
      /** The stable id. Required. */
      sub: string;
      /** Display name. Default: `username`. */
      name?: string;
      /** Login name. Default: `email`, else `sub`. */
      username?: string;
      /** E-mail address. Default: none. */
      email?: string;
      /** A list (or space-separated string) of role names. Default: none. */
      roles?: string;
    };
  };
  /** When neither the answer nor a JWT says. Seconds. Default: `300`. */
  accessTokenLifetimeSeconds?: number;
  /** How long refresh tokens live, when known. Seconds. Default: unknown. */
  refreshTokenLifetimeSeconds?: number;
  /** How to read API answers. Default: `classifyAnswer` (RFC 6750 §3.1). */
  classify?: (answer: UpstreamAnswerPeek) => UpstreamVerdict;
  /** Where refused refreshes and missing refresh tokens are logged. Default: JSON lines on stderr. */
  logger?: Logger;
}

type Values = Partial<Record<"username" | "password" | "refreshToken" | "accessToken", string>>;

/** The value at a dotted path, or undefined. */
function at(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split(".")) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function fill(template: JsonTemplate, values: Values): JsonTemplate {
  if (typeof template === "string") {
    return template.replace(
      /\{(username|password|refreshToken|accessToken)\}/g,
      (_, name: keyof Values) => values[name] ?? "",
    );
  }
  if (Array.isArray(template)) return template.map((item) => fill(item, values));
  if (typeof template === "object" && template !== null) {
    return Object.fromEntries(
      Object.entries(template).map(([key, item]) => [key, fill(item, values)]),
    );
  }
  return template;
}

function text(value: unknown): string | undefined {
  if (typeof value === "string" && value.length > 0) return value;
  return typeof value === "number" ? String(value) : undefined;
}

/**
 * A provider for a JSON token API, declared instead of programmed: the sign-in, refresh,
 * revoke and user calls with their bodies, and where the tokens, the expiry and the user's
 * fields are in the answers. Answers are read as `callUpstream` reads them (network failures
 * and 5xx are `upstream_unavailable`); a refused refresh ends the session and is logged with
 * its status; a user call refused right after sign-in is `account_disabled`.
 */
export function createJsonTokenProvider(config: JsonTokenProviderConfig): UpstreamProvider {
  const { id } = config;
  const log = providerLog(config.logger);
  const url = (path: string) =>
    new URL(path, config.baseUrl.endsWith("/") ? config.baseUrl : `${config.baseUrl}/`).href;

  function call(request: JsonTokenRequest, values: Values, isUser = false) {
    const bearer = (request.bearer ?? isUser) ? values.accessToken : undefined;
    return callUpstream(url(request.path.replace(/^\//, "")), {
      method: request.method ?? (isUser ? "GET" : "POST"),
      ...(request.body === undefined ? {} : { json: fill(request.body, values) }),
      ...(bearer === undefined ? {} : { bearer }),
    });
  }

  function expiryOf(body: unknown, accessToken: string, now: number): number {
    const spec = config.tokens.expires;
    const value = spec === undefined ? undefined : at(body, spec.path);
    if (spec !== undefined && (typeof value === "number" || typeof value === "string")) {
      const number = Number(value);
      if (spec.as === "date") return Date.parse(String(value));
      if (spec.as === "seconds") return now + number * 1000;
      if (spec.as === "milliseconds") return now + number;
      return spec.as === "epoch-seconds" ? number * 1000 : number;
    }
    const exp = unverifiedTokenClaims(accessToken)?.exp;
    if (typeof exp === "number") return Math.floor(exp * 1000);
    return now + (config.accessTokenLifetimeSeconds ?? 300) * 1000;
  }

  function tokensOf(response: UpstreamResponse, previousRefreshToken?: string): UpstreamTokens {
    const now = Date.now();
    const accessToken = text(at(response.body, config.tokens.accessToken));
    if (accessToken === undefined) {
      throw new BffError(
        "upstream_unavailable",
        `${id}: no access token at ${config.tokens.accessToken}`,
      );
    }
    const accessTokenExpiresAt = expiryOf(response.body, accessToken, now);
    if (!Number.isFinite(accessTokenExpiresAt)) {
      throw new BffError("upstream_unavailable", `${id}: no readable expiry`);
    }
    const path = config.tokens.refreshToken;
    const refreshToken =
      (path === undefined ? undefined : text(at(response.body, path))) ?? previousRefreshToken;
    if (refreshToken === undefined) {
      return {
        accessToken,
        accessTokenExpiresAt,
        refreshToken: noRefreshToken(),
        refreshTokenExpiresAt: accessTokenExpiresAt,
      };
    }
    const lifetime = config.refreshTokenLifetimeSeconds;
    return {
      accessToken,
      accessTokenExpiresAt,
      refreshToken,
      refreshTokenExpiresAt: lifetime === undefined ? null : now + lifetime * 1000,
    };
  }

  const ok = (response: UpstreamResponse) => response.status >= 200 && response.status < 300;
  const { revoke, refresh } = config;

  return {
    id,
    refreshBeforeRevoke: revoke?.bearer === true && refresh !== undefined,

    async signIn({ username, password }) {
      const response = await call(config.signIn, { username, password });
      const { status } = response;
      if (config.signIn.disabledStatuses?.includes(status) === true)
        throw accountRefused(id, status);
      if ([400, 401, 403, 422].includes(status))
        throw new BffError("invalid_credentials", `${id} refused the sign-in (${String(status)})`);
      if (status === 429) {
        const retryAfterSeconds = parseRetryAfter(headerValue(response, "retry-after"));
        throw new BffError("too_many_attempts", `${id}: too many attempts`, { retryAfterSeconds });
      }
      if (!ok(response))
        throw new BffError(
          "upstream_unavailable",
          `${id} answered the sign-in with ${String(status)}`,
        );
      const tokens = tokensOf(response);
      if (isNoRefreshToken(tokens.refreshToken))
        log.noRefreshToken(id, Math.round((tokens.accessTokenExpiresAt - Date.now()) / 1000));
      return tokens;
    },

    async refresh(refreshToken) {
      if (refresh === undefined || isNoRefreshToken(refreshToken)) {
        log.endedWithoutRefreshToken(id);
        throw new BffError("session_expired", `${id} issued no refresh token`);
      }
      const response = await call(refresh, { refreshToken });
      if ([400, 401, 403].includes(response.status)) {
        log.refreshRefused(id, `HTTP ${String(response.status)}`);
        throw new BffError(
          "session_expired",
          `${id} refused the refresh token (${String(response.status)})`,
        );
      }
      if (!ok(response))
        throw new BffError(
          "upstream_unavailable",
          `${id} answered the refresh with ${String(response.status)}`,
        );
      return tokensOf(response, refreshToken);
    },

    async revoke(tokens) {
      if (revoke === undefined) return;
      const refreshToken = isNoRefreshToken(tokens.refreshToken) ? undefined : tokens.refreshToken;
      const response = await call(revoke, {
        accessToken: tokens.accessToken,
        ...(refreshToken ? { refreshToken } : {}),
      });
      if (!ok(response))
        throw new BffError(
          "upstream_unavailable",
          `${id} answered the sign-out with ${String(response.status)}`,
        );
    },

    async fetchUser(tokens) {
      const response = await call(config.user, { accessToken: tokens.accessToken }, true);
      if (response.status === 401 || response.status === 403)
        throw accountRefused(id, response.status);
      if (!ok(response))
        throw new BffError(
          "upstream_unavailable",
          `${id} answered the user call with ${String(response.status)}`,
        );
      const { fields } = config.user;
      const sub = text(at(response.body, fields.sub));
      if (sub === undefined)
        throw new BffError("upstream_unavailable", `${id}: no user id at ${fields.sub}`);
      const email = fields.email === undefined ? undefined : text(at(response.body, fields.email));
      const username =
        (fields.username === undefined ? undefined : text(at(response.body, fields.username))) ??
        email ??
        sub;
      const name =
        (fields.name === undefined ? undefined : text(at(response.body, fields.name))) ?? username;
      const roles = fields.roles === undefined ? undefined : rolesAt(response.body, fields.roles);
      return { sub, name, username, email: email ?? null, roles: roles ?? [] };
    },

    classify: config.classify ?? classifyAnswer,
  };
}
