/**
 * The library's one logging interface: pino's (`logger.warn({ err }, "message")`), so an app
 * passes its pino logger as it is. Nothing the library logs holds a token or a cookie value.
 */
export interface Logger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** What of an error is logged: never the object itself, whose fields may hold a request. */
export function errorFields(error: unknown): { err: { name: string; message: string } } {
  return error instanceof Error
    ? { err: { name: error.name, message: error.message } }
    : { err: { name: "unknown", message: String(error) } };
}

/** The default: one JSON line per event on stderr, in pino's shape. */
export const stderrLogger: Logger = {
  info: (fields, message) => writeLine(30, fields, message),
  warn: (fields, message) => writeLine(40, fields, message),
  error: (fields, message) => writeLine(50, fields, message),
};

function writeLine(level: number, fields: object, message: string): void {
  const line = { level, time: Date.now(), name: "next-token-bff", ...fields, msg: message };
  process.stderr.write(`${JSON.stringify(line)}\n`);
}

/** A failure the library survives (a revocation, an ended-list write): message and error. */
export type FailureLog = (message: string, error: unknown) => void;
/** An event of the refresh coordination (Redis down, a fallback). */
export type EventLog = (level: "info" | "warn" | "error", message: string) => void;

/** The two shapes the library's parts log in, both writing to one `Logger`. */
export function logFunctions(logger: Logger = stderrLogger): {
  failure: FailureLog;
  event: EventLog;
} {
  return {
    failure: (message, error) => logger.error(errorFields(error), message),
    event: (level, message) => logger[level]({}, message),
  };
}
