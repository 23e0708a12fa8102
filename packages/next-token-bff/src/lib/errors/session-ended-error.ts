/**
 * Thrown from the `jwt` callback when a cookie no longer stands for a live session. next-auth's
 * session route then clears the cookie and answers `{}`: the only way v4 lets a callback end a
 * JWT session. The logger recognises it by name and stays quiet.
 */
export class SessionEndedError extends Error {
  override name = "SessionEndedError";
}
