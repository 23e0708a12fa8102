import { describe, expect, it } from "vitest";
import { errorFields } from "../../src/lib/runtime/logger.js";
import { nextAuthLogger } from "../../src/lib/sign-in/next-auth-logger.js";

function captured() {
  const lines: string[] = [];
  const logger = nextAuthLogger((message, error) => {
    lines.push(JSON.stringify({ message, ...errorFields(error) }));
  });
  return { lines, logger };
}

describe("E3 next-auth's log lines", () => {
  it("keep the code, the error's name and message, and nothing else of the metadata", () => {
    const { lines, logger } = captured();
    logger.error?.("OAUTH_CALLBACK_ERROR", {
      error: { name: "OAuthCallbackError", message: "invalid_grant" },
      providerId: "upstream",
      tokens: { id_token: "eyJhbGciOi.secret-id-token", code: "the-authorization-code" },
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("OAUTH_CALLBACK_ERROR");
    expect(lines[0]).toContain("invalid_grant");
    expect(lines[0]).not.toMatch(/eyJ|secret-id-token|the-authorization-code/);
  });

  it("say nothing when our jwt callback refuses a session that has ended", () => {
    const { lines, logger } = captured();
    logger.error?.("JWT_SESSION_ERROR", { name: "BffError", message: "ended" });
    expect(lines).toEqual([]);
  });
});
