import type { LoggerInstance } from "next-auth";
import type { FailureLog } from "../runtime/logger.js";

/** The name and message of what next-auth hands its logger (an error, or `{ error, … }`). */
function nameAndMessage(metadata: unknown): { name: string; message: string } {
  const candidate =
    metadata !== null && typeof metadata === "object" && "error" in metadata
      ? metadata.error
      : metadata;
  if (candidate !== null && typeof candidate === "object") {
    const { name, message } = candidate as { name?: unknown; message?: unknown };
    return {
      name: typeof name === "string" ? name : "unknown",
      message: typeof message === "string" ? message : "",
    };
  }
  return { name: "unknown", message: "" };
}

/**
 * Opaque values a message may quote: openid-client's "state mismatch, expected <state>, got:
 * <state>" (and nonce, iss) name the check values of someone's sign-in. A run of 16 or more
 * token characters with a digit or a capital letter is replaced; words and codes like
 * `unsupported_grant_type` stay.
 */
const opaqueValue = /[A-Za-z0-9_~+=.-]{16,}/g;
function withoutValues(message: string): string {
  return message.replace(opaqueValue, (run) => (/[0-9A-Z]/.test(run) ? "[value]" : run));
}

/**
 * next-auth's logger, reduced to code, error name and message (opaque values in it replaced):
 * its metadata can hold tokens, an `id_token` or an authorization code. A cookie whose session has ended is refused by our
 * `jwt` callback with a `BffError`; that is not an error worth a line.
 */
export function nextAuthLogger(log: FailureLog): Partial<LoggerInstance> {
  return {
    error(code, metadata) {
      const { name, message } = nameAndMessage(metadata);
      if (code === "JWT_SESSION_ERROR" && name === "BffError") return;
      log(`next-auth error ${code}`, Object.assign(new Error(withoutValues(message)), { name }));
    },
    warn(code) {
      log(`next-auth warning ${code}`, code);
    },
    debug() {},
  };
}
