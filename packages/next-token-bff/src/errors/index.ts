export { BffError, bffErrorCodes, isBffErrorCode } from "./bff-error.js";
export type { BffErrorCode, BffErrorOptions } from "./bff-error.js";
export { describeError } from "./messages.js";
export { formatSignInErrorParam, parseSignInErrorParam } from "./sign-in-error-param.js";
export type { SignInErrorParam } from "./sign-in-error-param.js";
