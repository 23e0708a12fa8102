import { defineConfig } from "vitest/config";

// `npm run soak` (root): the long token-refresh soak, never part of `npm test`.
export default defineConfig({
  test: {
    include: ["soak/**/*.soak.ts"],
    fileParallelism: false,
    testTimeout: 4 * 60 * 60 * 1000,
    hookTimeout: 15 * 60 * 1000,
  },
});
