/**
 * `npm run bench` (web part): the proxy route against the API directly, Next's own floor and a
 * server-rendered page, side by side in one run, and the same against a bare Next.js app
 * (`floor-app/`) and two instances behind nginx. Builds the library, the API and both apps
 * (`.next-bench`), starts the reference API and `next start`, signs in through next-auth's
 * credentials callback, warms up, then runs every scenario BENCH_ROUNDS times (every other
 * round in reverse order) with autocannon. Also sign-in latency, refresh storms (on one
 * instance and across two), the session cookie's size and the web server's peak RSS. Appends to
 * docs/benchmarks.md and draws docs/bench-latest.svg. The knobs are in config.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { appendSection } from "../../../bench-support/report-file.js";
import { newSecret, signInOverHttp, tokensOf } from "../test/support/refresh-servers";
import { buildForBench } from "./build";
import { alice, config, maxSeconds, sessionCookie } from "./config";
import { checkExtraPayloads } from "./extra-scenarios";
import { startFloorApp, viewerOf } from "./floor-server";
import { runLoad, writeWindows } from "./load";
import { checkPayloads } from "./payloads";
import { treePeakRss } from "./process-tree";
import { runStorms } from "./refresh-storm";
import { renderReport } from "./report";
import { scenarios } from "./scenarios";
import type { BenchServer } from "./servers";
import { measureSignIns } from "./sign-in";
import { measureSingleRequests } from "./single-requests";
import { startServers } from "./start-servers";
import { sleep } from "./timing";

async function main(): Promise<void> {
  const loadBefore = os.loadavg();
  if (!config.skipBuild) await buildForBench();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "web-bench-"));
  const databasePath = path.join(dataDir, "api.sqlite");
  const secret = newSecret();
  const started: Pick<BenchServer, "stop">[] = [];
  const { cpuProfileDir, only } = config;
  try {
    const servers = await startServers(databasePath, secret, started);
    const { api, web, routeOnly, cluster } = servers;
    console.log(`API ${api.url}, web ${web.url}, route-only web ${routeOnly?.url ?? "–"}`);
    if (cluster !== undefined && "skipped" in cluster)
      console.log(`Two instances: ${cluster.skipped}`);

    // Sign in through the app (next-auth credentials callback → password grant).
    const jar = await signInOverHttp(web.url, alice.username, alice.password);
    if (config.hold > 0) {
      console.log(`Holding ${config.hold} s (BENCH_HOLD). Cookie: ${jar.header()}`);
      await sleep(config.hold * 1000);
    }
    const tokens = await tokensOf(jar, secret);
    const sessionParts = [...jar.cookies].filter(([name]) => name.startsWith(sessionCookie));
    const cookieBytes = sessionParts.map(([name, value]) => `${name}=${value}`.length);

    // The bare app reads the upstream list with this session's access token, as this user.
    if (only.includes("f") || only.includes("p")) {
      const floor = await startFloorApp({
        apiUrl: api.url,
        bearer: tokens.accessToken,
        viewer: await viewerOf(jar, secret),
        maxSeconds,
        ...(cpuProfileDir === undefined
          ? {}
          : { cpuProfileDir: path.join(cpuProfileDir, "floor") }),
      });
      started.push(floor);
      servers.floor = floor;
    }
    const clusterJar =
      cluster !== undefined && "cluster" in cluster
        ? await signInOverHttp(cluster.cluster.pair.url, alice.username, alice.password)
        : undefined;

    // The same payload everywhere: check the bytes before measuring.
    const payloads = await checkPayloads(servers, jar, tokens.accessToken);
    const extra = await checkExtraPayloads(
      servers,
      {
        proxied: payloads.proxiedHeaders,
        page: { cookie: jar.header() },
        cluster: clusterJar?.header(),
      },
      payloads.directBody,
    );
    const session = {
      cookie: jar.header(),
      accessToken: tokens.accessToken,
      clusterCookie: clusterJar?.header(),
    };
    const specs = scenarios(servers, { ...payloads, ...extra }, session);

    const signIns = await measureSignIns(servers);
    const measurements = await runLoad(specs, api);
    // One refresh and one request, each on its own, to compare the storm with.
    const singles = await measureSingleRequests(
      { api: api.url, web: web.url },
      secret,
      payloads.proxiedHeaders,
      tokens.accessToken,
    );
    const stormResults = await runStorms(web.url, secret, databasePath);
    const clusterStorms =
      clusterJar !== undefined && cluster !== undefined && "cluster" in cluster
        ? await runStorms(cluster.cluster.pair.url, secret, databasePath, " (two instances)")
        : [];
    if (cpuProfileDir !== undefined) writeWindows(cpuProfileDir, measurements);

    const peakRss = treePeakRss(web.pid);
    const loadAfter = os.loadavg();
    const report = renderReport({
      specs,
      measurements,
      bytes: payloads.bytes,
      cookieBytes,
      signIns,
      singles,
      stormResults,
      cluster,
      servedBy: extra.servedBy,
      clusterStorms,
      peakRss,
      loadBefore,
      loadAfter,
    });
    console.log(`\n${report.markdown}`);
    appendSection(config.output, report.markdown, "# Benchmarks\n");
    if (config.output !== "-") writeFileSync(config.chartPath, report.svg);
  } finally {
    for (const server of started.reverse()) await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (cpuProfileDir !== undefined) {
      console.log(`CPU profiles of next start in ${cpuProfileDir} (the bare app's in floor/)`);
    }
  }
}

await main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
