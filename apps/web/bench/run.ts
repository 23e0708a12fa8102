/**
 * `npm run bench` (web part): the proxy route against the API directly, Next's own floor and a
 * server-rendered page, side by side in one run. Builds the library, the API and the app
 * (`.next-bench`), starts the reference API and `next start`, signs in through next-auth's
 * credentials callback, warms up, then runs every scenario BENCH_ROUNDS times (every other
 * round in reverse order) with autocannon. Also sign-in latency, refresh storms, the session
 * cookie's size and the web server's peak RSS. Appends to docs/benchmarks.md and draws
 * docs/bench-latest.svg. The knobs are in config.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { appendSection } from "../../../bench-support/report-file.js";
import { newSecret, signInOverHttp, tokensOf } from "../test/support/refresh-servers";
import { buildForBench } from "./build";
import { alice, config, sessionCookie } from "./config";
import { runLoad } from "./load";
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
  const started: BenchServer[] = [];
  try {
    const servers = await startServers(databasePath, secret, started);
    const { api, web, routeOnly } = servers;
    console.log(`API ${api.url}, web ${web.url}, route-only web ${routeOnly?.url ?? "–"}`);

    // Sign in through the app (next-auth credentials callback → password grant).
    const jar = await signInOverHttp(web.url, alice.username, alice.password);
    if (config.hold > 0) {
      console.log(`Holding ${config.hold} s (BENCH_HOLD). Cookie: ${jar.header()}`);
      await sleep(config.hold * 1000);
    }
    const tokens = await tokensOf(jar, secret);
    const sessionParts = [...jar.cookies].filter(([name]) => name.startsWith(sessionCookie));
    const cookieBytes = sessionParts.map(([name, value]) => `${name}=${value}`.length);

    // The same payload everywhere: check the bytes before measuring.
    const payloads = await checkPayloads(servers, jar, tokens.accessToken);
    const session = { cookie: jar.header(), accessToken: tokens.accessToken };
    const specs = scenarios(servers, payloads, session);

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
    if (config.cpuProfileDir !== undefined) {
      console.log(`CPU profile of next start in ${config.cpuProfileDir}`);
    }
  }
}

await main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
