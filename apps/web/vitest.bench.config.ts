import { defineConfig } from "vitest/config";

// `npm run bench` (root, after the API's bench): the web proxy bench, never part of `npm test`.
export default defineConfig({
  test: {
    include: ["bench/**/*.bench-run.ts"],
    fileParallelism: false,
    testTimeout: 30 * 60 * 1000,
    hookTimeout: 30 * 60 * 1000,
  },
});
