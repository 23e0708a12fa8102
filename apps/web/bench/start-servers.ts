import path from "node:path";
import { type ClusterStart, startCluster } from "./cluster";
import { config, maxSeconds, tokenTtl } from "./config";
import { type BenchServer, startBenchApi, startBenchWeb } from "./servers";

/** The servers of one run. */
export interface ServerSet {
  api: BenchServer;
  web: BenchServer;
  /** b′ and e: the same build with the proxy.ts fast path off (or BENCH_BASELINE_DIST). */
  routeOnly: BenchServer | undefined;
  /** BENCH_SIGNIN_BASELINE_SCOPE: the app once more, asking the API for that scope. */
  signInBaselineWeb: BenchServer | undefined;
  /** m and o: two instances with Redis behind nginx (or why not). */
  cluster: ClusterStart | undefined;
  /** f and p: the bare Next.js app, started after sign-in (it needs the session's bearer). */
  floor?: BenchServer;
}

/**
 * Starts the API and the app servers this run's scenarios need, one after the other. Each is
 * added to `started` as soon as it answers, so the caller stops it even if a later one fails.
 */
export async function startServers(
  databasePath: string,
  secret: string,
  started: Pick<BenchServer, "stop">[],
): Promise<ServerSet> {
  const { cpuProfileDir, only, baselineDist, signInBaselineScope } = config;
  const keep = <T extends Pick<BenchServer, "stop">>(server: T) => {
    started.push(server);
    return server;
  };
  const api = keep(await startBenchApi({ databasePath, accessTokenTtl: tokenTtl, maxSeconds }));
  const web = keep(
    await startBenchWeb({
      apiUrl: api.url,
      secret,
      maxSeconds,
      ...(cpuProfileDir === undefined ? {} : { cpuProfileDir }),
    }),
  );
  // b′: the same build with the proxy.ts fast path off, for a paired comparison in one run.
  const routeOnly =
    only.includes("r") || only.includes("e")
      ? keep(
          await startBenchWeb({
            apiUrl: api.url,
            secret,
            maxSeconds,
            env:
              baselineDist === undefined
                ? { UPSTREAM_IN_PROXY: "0" }
                : { NEXT_DIST_DIR: baselineDist },
            ...(cpuProfileDir === undefined
              ? {}
              : { cpuProfileDir: path.join(cpuProfileDir, "route-only") }),
          }),
        )
      : undefined;
  const signInBaselineWeb =
    signInBaselineScope === undefined
      ? undefined
      : keep(
          await startBenchWeb({
            apiUrl: api.url,
            secret,
            maxSeconds,
            env: { UPSTREAM_SCOPE: signInBaselineScope },
          }),
        );
  const cluster =
    only.includes("m") || only.includes("o")
      ? await startCluster(api.url, secret, keep)
      : undefined;
  return { api, web, routeOnly, signInBaselineWeb, cluster };
}
