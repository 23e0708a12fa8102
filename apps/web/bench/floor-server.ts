import { decode } from "next-auth/jwt";
import type { CookieJar } from "../test/support/refresh-servers";
import { benchDistDir, floorAppDir } from "./config";
import { type BenchServer, startNextServer } from "./servers";

/**
 * `next start` of the bare app (`bench/floor-app`, built by `buildForBench`): the floor the app
 * is compared with (scenarios f and p). It reads the upstream list with a fixed bearer, as
 * `viewer`; nothing of the app's configuration reaches it.
 */
export async function startFloorApp(options: {
  apiUrl: string;
  bearer: string;
  viewer: { sub: string; roles: readonly string[] };
  maxSeconds: number;
  cpuProfileDir?: string;
}): Promise<BenchServer> {
  return startNextServer({
    cwd: floorAppDir,
    readyPath: "/api/bench-floor",
    maxSeconds: options.maxSeconds,
    cpuProfileDir: options.cpuProfileDir,
    env: () => ({
      // The same environment as the app's `next start` gets, minus the app's own variables.
      ...process.env,
      NODE_ENV: "production",
      NEXT_DIST_DIR: benchDistDir,
      NEXT_TELEMETRY_DISABLED: "1",
      BENCH_FLOOR_ROUTE: "1",
      FLOOR_UPSTREAM_URL: options.apiUrl,
      FLOOR_BEARER: options.bearer,
      FLOOR_VIEWER_SUB: options.viewer.sub,
      FLOOR_VIEWER_ROLES: options.viewer.roles.join(","),
    }),
  });
}

/** Who the session is (its `sub` and roles), so the bare page renders what the app shows them. */
export async function viewerOf(
  jar: CookieJar,
  secret: string,
): Promise<{ sub: string; roles: string[] }> {
  const claims = await decode({ token: jar.session(), secret });
  const user = (claims ?? {}).user as { sub?: unknown; roles?: unknown } | undefined;
  if (typeof user?.sub !== "string" || !Array.isArray(user.roles)) {
    throw new Error("the session cookie holds no user");
  }
  return { sub: user.sub, roles: user.roles.filter((role) => typeof role === "string") };
}
