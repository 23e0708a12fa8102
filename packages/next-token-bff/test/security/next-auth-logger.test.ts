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

  it("E2 replace the values a message quotes (openid-client's state, nonce and iss mismatches), keep its words", () => {
    const { lines, logger } = captured();
    const state = "Qm9vNzZ4d3A3X2stZ0VhT2hpS1lDQnRwR2ZfY0JmbEk";
    const forged = "forged-state-value-12345678";
    logger.error?.("OAUTH_CALLBACK_ERROR", {
      error: { name: "RPError", message: `state mismatch, expected ${state}, got: ${forged}` },
    });
    logger.error?.("OAUTH_CALLBACK_ERROR", {
      error: { name: "OPError", message: "unsupported_grant_type (grant type not allowed)" },
    });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain("state mismatch, expected [value], got: [value]");
    expect(lines[0]).not.toContain(state);
    expect(lines[0]).not.toContain(forged);
    expect(lines[1]).toContain("unsupported_grant_type (grant type not allowed)");
  });

  it("say nothing when our jwt callback refuses a session that has ended", () => {
    const { lines, logger } = captured();
    logger.error?.("JWT_SESSION_ERROR", { name: "BffError", message: "ended" });
    expect(lines).toEqual([]);
  });
});
