import { startRedis } from "../test/support/refresh-servers";
import { type Balancer, balancerPorts, nginxProgram, startBalancer } from "./balancer";
import { maxSeconds } from "./config";
import { type BenchServer, startBenchWeb } from "./servers";

/**
 * Two `next start` instances of the bench build sharing one Redis, behind nginx (round robin):
 * scenario m through both, o through the first only (same hop), and the refresh storms across
 * both. Not started when nginx is missing: `skipped` says why.
 */
export interface Cluster {
  /** Both instances, reached through the balancer; CPU is counted over both. */
  pair: BenchServer;
  /** The first instance alone, through the same balancer. */
  one: BenchServer;
  balancer: Balancer;
}

export type ClusterStart = { cluster: Cluster } | { skipped: string };

export async function startCluster(
  apiUrl: string,
  secret: string,
  keep: (server: Pick<BenchServer, "stop">) => void,
): Promise<ClusterStart> {
  const program = nginxProgram();
  if (program === undefined) {
    return { skipped: "nginx is not installed (Debian: apt-get install nginx; or NGINX=<path>)" };
  }
  const redis = await startRedis(maxSeconds);
  keep(redis);
  const ports = await balancerPorts();
  const pairUrl = `http://127.0.0.1:${ports.pair}`;
  const instances: BenchServer[] = [];
  for (let index = 0; index < 2; index += 1) {
    const instance = await startBenchWeb({
      apiUrl,
      secret,
      maxSeconds,
      env: {
        REDIS_URL: redis.url,
        // The browser's address for both: the balancer's (the pair's listener).
        NEXTAUTH_URL: pairUrl,
        // nginx adds X-Forwarded-For: one trusted hop.
        TRUSTED_PROXY_HOPS: "1",
      },
    });
    keep(instance);
    instances.push(instance);
  }
  const [first, second] = instances as [BenchServer, BenchServer];
  const balancer = await startBalancer({
    program,
    ports,
    backends: instances.map((instance) => new URL(instance.url).host),
    maxSeconds,
  });
  keep(balancer);
  const group = (url: string, members: BenchServer[]): BenchServer => ({
    url,
    pid: first.pid,
    members,
    output: () => members.map((member) => member.output()).join("\n"),
    stop: () => Promise.resolve(),
  });
  return {
    cluster: {
      pair: group(balancer.pairUrl, [first, second]),
      one: group(balancer.oneUrl, [first]),
      balancer,
    },
  };
}
