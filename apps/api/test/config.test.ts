import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

describe("loadConfig", () => {
  it("applies the documented defaults", () => {
    const config = loadConfig({});
    expect(config.host).toBe("127.0.0.1");
    expect(config.port).toBe(4000);
    expect(config.accessTokenTtl).toBe(300);
    expect(config.refreshTokenTtl).toBe(1_209_600);
    expect(config.issuer).toBe("http://127.0.0.1:4000/");
    expect(config.demoData).toBe(true);
  });

  it("reports every bad variable in one error", () => {
    let caught: unknown;
    try {
      loadConfig({ API_PORT: "seventy", ACCESS_TOKEN_TTL: "-5", DEMO_DATA: "maybe" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as Error).message;
    expect(message).toContain("API_PORT");
    expect(message).toContain("ACCESS_TOKEN_TTL");
    expect(message).toContain("DEMO_DATA");
  });
});
