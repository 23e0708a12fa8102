import { defineConfig } from "vitest/config";
import { SkippedOnPurposeReporter, prerequisiteTags } from "../../test-support/prerequisites.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    tags: prerequisiteTags("redis"),
    reporters: ["default", new SkippedOnPurposeReporter()],
  },
});
