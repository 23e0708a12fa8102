import { defineConfig } from "vitest/config";
import { SkippedOnPurposeReporter, prerequisiteTags } from "../../test-support/prerequisites.js";

// Browser tests against a production build and the real reference API, both started once by
// the global setup. Files run one after another: they share the two servers and 2 CPU cores.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    tags: prerequisiteTags("browser", "redis"),
    reporters: ["default", new SkippedOnPurposeReporter()],
  },
});
