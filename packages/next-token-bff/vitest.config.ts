import { defineConfig } from "vitest/config";
import { SkippedOnPurposeReporter, prerequisiteTags } from "../../scripts/vitest/prerequisites";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    tags: prerequisiteTags("redis"),
    reporters: ["default", new SkippedOnPurposeReporter()],
  },
});
