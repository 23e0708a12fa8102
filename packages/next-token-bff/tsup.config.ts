import { defineConfig } from "tsup";

// The published types: one bundled declaration file per entry point (tsc emits the JavaScript,
// file by file), so the internals under src/lib ship no types of their own.
export default defineConfig({
  entry: [
    "src/index.ts",
    "src/client.ts",
    "src/errors.ts",
    "src/providers.ts",
    "src/testing/index.ts",
  ],
  dts: { only: true },
  format: ["esm"],
  outDir: "dist",
  clean: false,
});
