import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Argon2 hashing and real HTTP servers make some tests slower than the default allows.
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
