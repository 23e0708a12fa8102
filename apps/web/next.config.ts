import path from "node:path";
import type { NextConfig } from "next";
import { apiContentSecurityPolicy, staticSecurityHeaders } from "./lib/static-security-headers";

// npm workspaces hoist dependencies to the repository root; Turbopack must see it.
const repositoryRoot = path.join(process.cwd(), "..", "..");

const nextConfig: NextConfig = {
  // The browser tests build into their own folder (NEXT_DIST_DIR=.next-test).
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  poweredByHeader: false,
  reactStrictMode: true,
  turbopack: { root: repositoryRoot },
  outputFileTracingRoot: repositoryRoot,
  headers() {
    // Pages get their Content-Security-Policy (with a per-request nonce) from proxy.ts.
    return Promise.resolve([
      { source: "/:path*", headers: staticSecurityHeaders },
      // The upstream proxy sets its own, stricter policy (`sandbox`) on every answer.
      {
        source: "/api/:path((?!upstream/).*)",
        headers: [{ key: "Content-Security-Policy", value: apiContentSecurityPolicy }],
      },
    ]);
  },
};

export default nextConfig;
