import path from "node:path";
import { runToCompletion } from "../test/support/processes";
import { benchDistDir, floorAppDir, repoRoot, webDir } from "./config";

/**
 * The library, the API, a production build of the app in the bench's own folder, and one of the
 * bare app (`bench/floor-app`, its own `.next-bench`).
 */
export async function buildForBench(): Promise<void> {
  const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  const next = path.join(repoRoot, "node_modules", "next", "dist", "bin", "next");
  console.log("… building the library, the API, the app and the bare app (.next-bench)");
  await runToCompletion(
    process.execPath,
    [tsc, "-p", "packages/next-token-bff/tsconfig.build.json"],
    { cwd: repoRoot },
  );
  await runToCompletion(process.execPath, [tsc, "-p", "apps/api/tsconfig.build.json"], {
    cwd: repoRoot,
  });
  await runToCompletion(process.execPath, [next, "build"], {
    cwd: webDir,
    env: { ...process.env, NEXT_DIST_DIR: benchDistDir, NEXT_TELEMETRY_DISABLED: "1" },
  });
  await runToCompletion(process.execPath, [next, "build"], {
    cwd: floorAppDir,
    env: { ...process.env, NEXT_DIST_DIR: benchDistDir, NEXT_TELEMETRY_DISABLED: "1" },
  });
}
