import path from "node:path";
import type { NextConfig } from "next";

/**
 * The bench's bare Next.js app (`npm run bench`, scenarios f and p): Next's defaults, nothing of
 * ours (no `proxy.ts`, no `headers()`, no instrumentation). Only what building it inside this
 * monorepo needs: the bench's build folder and the workspace root for Turbopack, which also
 * lets it compile the app's components that `app/articles/page.tsx` imports by relative path.
 */
const repositoryRoot = path.join(process.cwd(), "..", "..", "..", "..");

const nextConfig: NextConfig = {
  distDir: process.env.NEXT_DIST_DIR ?? ".next-bench",
  turbopack: { root: repositoryRoot },
  outputFileTracingRoot: repositoryRoot,
  // apps/web's `tsc` checks these files (its tsconfig includes bench/); no second check here.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
