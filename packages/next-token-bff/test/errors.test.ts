import { describe, expect, it } from "vitest";
import { bffErrorCodes } from "../src/lib/errors/bff-error.js";
import { describeError } from "../src/lib/errors/messages.js";
import {
  formatSignInErrorParam,
  parseSignInErrorParam,
} from "../src/lib/errors/sign-in-error-param.js";

describe("error codes", () => {
  it("gives every code a message that names no internals", () => {
    for (const code of bffErrorCodes) {
      const message = describeError(code);
      expect(message.length).toBeGreaterThan(10);
      expect(message).not.toMatch(/invalid_grant|oauth|token/i);
    }
  });

  it("says when to retry after too many attempts", () => {
    expect(describeError("too_many_attempts", 30)).toContain("in 30 seconds");
    expect(describeError("too_many_attempts", 120)).toContain("in 2 minutes");
    expect(describeError("too_many_attempts", 5400)).toContain("in 90 minutes");
    expect(describeError("too_many_attempts", 21_590)).toContain("in 6 hours");
    expect(describeError("too_many_attempts")).toContain("later");
  });

  it("round-trips the sign-in error parameter and rejects anything else", () => {
    expect(parseSignInErrorParam(formatSignInErrorParam("too_many_attempts", 90))).toEqual({
      code: "too_many_attempts",
      retryAfterSeconds: 90,
    });
    expect(parseSignInErrorParam("invalid_credentials")).toEqual({ code: "invalid_credentials" });
    expect(parseSignInErrorParam("CredentialsSignin")).toBeNull();
    expect(parseSignInErrorParam("<script>")).toBeNull();
    expect(parseSignInErrorParam(null)).toBeNull();
  });
});
