export { BffError, bffErrorCodes, isBffErrorCode } from "./lib/errors/bff-error.js";
export type { BffErrorCode, BffErrorOptions } from "./lib/errors/bff-error.js";
export { describeError } from "./lib/errors/messages.js";
export { formatSignInErrorParam, parseSignInErrorParam } from "./lib/errors/sign-in-error-param.js";
export type { SignInErrorParam } from "./lib/errors/sign-in-error-param.js";
