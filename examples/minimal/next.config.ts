import path from "node:path";
import type { NextConfig } from "next";

// Only needed inside this monorepo (npm workspaces hoist packages to the root); in your own app
// `{}` is enough.
const root = path.join(process.cwd(), "..", "..");

const nextConfig: NextConfig = {
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  turbopack: { root },
  outputFileTracingRoot: root,
};

export default nextConfig;
