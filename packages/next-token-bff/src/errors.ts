/**
 * `next-token-bff/errors`: the library's one error class and its codes, and the messages a
 * person is shown for them (the sign-in page reads them from next-auth's `?error=`).
 * @packageDocumentation
 */
export { BffError } from "./lib/errors/bff-error.js";
export type { BffErrorCode } from "./lib/errors/bff-error.js";
export { describeError } from "./lib/errors/messages.js";
export { parseSignInErrorParam } from "./lib/errors/sign-in-error-param.js";
