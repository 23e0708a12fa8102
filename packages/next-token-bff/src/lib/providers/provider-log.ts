import { type Logger, stderrLogger } from "../runtime/logger.js";

/** What the providers log: why sessions end or will end early. Never a token. */
export interface ProviderLog {
  /** The upstream refused a refresh; `error` is its OAuth `error` code or the HTTP status. */
  refreshRefused(provider: string, error: string): void;
  /** A sign-in got no refresh token: the session ends when the access token is due. */
  noRefreshToken(provider: string, accessTokenSeconds: number): void;
  /** A session without a refresh token reached the end of its access token. */
  endedWithoutRefreshToken(provider: string): void;
}

const OFFLINE_HINT =
  "add offline_access to UPSTREAM_SCOPE (or the server's equivalent, and allow the refresh_token grant for the client)";

/** The providers' log lines, written to the app's logger (default: JSON lines on stderr). */
export function providerLog(logger: Logger = stderrLogger): ProviderLog {
  return {
    refreshRefused(provider, error) {
      logger.warn(
        { provider, error },
        `the upstream refused a token refresh (${error}): that session ends`,
      );
    },
    noRefreshToken(provider, accessTokenSeconds) {
      logger.warn(
        { provider, accessTokenSeconds },
        `the upstream issued no refresh token: the session ends when its access token expires (in ${String(accessTokenSeconds)} s); to keep sessions longer, ${OFFLINE_HINT}`,
      );
    },
    endedWithoutRefreshToken(provider) {
      logger.warn(
        { provider },
        `a session ends with its access token: the upstream issued no refresh token; ${OFFLINE_HINT}`,
      );
    },
  };
}
