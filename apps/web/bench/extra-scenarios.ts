import { accept, upstreamPath } from "./config";
import { stable } from "./payloads";
import type { ScenarioSpec } from "./scenarios";
import type { ServerSet } from "./start-servers";

/**
 * The scenarios of issue 21. The floor: t (the app's trivial route, its default 2 KB JSON)
 * against f (the same route handler in the bare Next.js app, `bench/floor-app`), d (`/articles`)
 * against p (the bare app's page: same upstream list, same components, fixed bearer, no auth).
 * Both sides get byte-identical requests. Two instances: m (reads through nginx over two
 * instances with Redis) against o (the same balancer, the first instance only).
 */
export interface ExtraPayloads {
  trivialUrl: string;
  /** The trivial route's body: the same bytes from both apps, checked. */
  trivialBody: string;
  floorPageBytes: number;
  /** Which instance answered each of 4 reads through the balancer's two listeners. */
  servedBy: { pair: string[]; one: string[] } | undefined;
}

export async function checkExtraPayloads(
  servers: ServerSet,
  headers: { proxied: Record<string, string>; page: Record<string, string>; cluster?: string },
  directBody: string,
): Promise<ExtraPayloads> {
  const { web, floor, cluster } = servers;
  const trivialUrl = `${web.url}/api/bench-floor`;
  const trivialBody = await (await fetch(trivialUrl, { headers: headers.proxied })).text();
  let floorPageBytes = 0;
  if (floor !== undefined) {
    const bare = await fetch(`${floor.url}/api/bench-floor`, { headers: headers.proxied });
    if (bare.status !== 200 || (await bare.text()) !== trivialBody) {
      throw new Error(`the bare app's trivial route differs (${bare.status})`);
    }
    const page = await fetch(`${floor.url}/articles`, { headers: headers.page });
    floorPageBytes = Buffer.byteLength(await page.text());
    if (page.status !== 200) throw new Error(`the bare app's /articles answered ${page.status}`);
  }
  let servedBy: ExtraPayloads["servedBy"];
  if (cluster !== undefined && "cluster" in cluster && headers.cluster !== undefined) {
    const cookie = headers.cluster;
    const reads = async (url: string) => {
      const instances: string[] = [];
      for (let index = 0; index < 4; index += 1) {
        const response = await fetch(`${url}/api/upstream${upstreamPath}`, {
          headers: { cookie, "x-csrf": "1", accept },
        });
        if (response.status !== 200 || stable(await response.text()) !== stable(directBody)) {
          throw new Error(`a read through the balancer differs (${response.status})`);
        }
        instances.push(response.headers.get("x-bench-instance") ?? "?");
      }
      return instances;
    };
    servedBy = {
      pair: await reads(cluster.cluster.pair.url),
      one: await reads(cluster.cluster.one.url),
    };
    if (new Set(servedBy.pair).size !== 2 || new Set(servedBy.one).size !== 1) {
      throw new Error(`the balancer does not spread reads: ${JSON.stringify(servedBy)}`);
    }
  }
  return { trivialUrl, trivialBody, floorPageBytes, servedBy };
}

/** A 2 KB JSON:API article, as the app's own form would send it. */
export const benchArticle = JSON.stringify({
  data: {
    type: "node--article",
    attributes: { title: "Bench write", body: { value: "w".repeat(1930), format: "plain_text" } },
  },
});

export function extraScenarios(
  { web, floor, cluster }: ServerSet,
  payloads: ExtraPayloads & { directBody: string; proxiedHeaders: Record<string, string> },
  session: { cookie: string; clusterCookie: string | undefined },
): ScenarioSpec[] {
  const { trivialUrl, trivialBody, proxiedHeaders, directBody } = payloads;
  const trivial = `GET /api/bench-floor (${Buffer.byteLength(trivialBody)} B static JSON) with the same headers as b`;
  const specs: ScenarioSpec[] = [
    {
      key: "t",
      name: "t trivial route (2 KB)",
      request: `${trivial}, on the app (whatever its proxy.ts matcher and next.config headers() add)`,
      url: trivialUrl,
      headers: proxiedHeaders,
      expectBody: trivialBody,
      web,
    },
  ];
  // A write: proxy.ts's matcher keeps bodies out, so the route handler answers it.
  specs.push({
    key: "w",
    name: "w 2 KB article POST",
    request: `POST /api/upstream/jsonapi/node/article, a ${Buffer.byteLength(benchArticle)} B article with the session cookie, X-CSRF and Origin (201 from the route handler; each creates an article after the listed ones)`,
    url: `${web.url}/api/upstream/jsonapi/node/article`,
    method: "POST",
    body: benchArticle,
    headers: { ...proxiedHeaders, "content-type": "application/vnd.api+json", origin: web.url },
    web,
  });
  if (floor !== undefined) {
    specs.push(
      {
        key: "f",
        name: "f bare Next: trivial route",
        request: `${trivial}, on the bare app (bench/floor-app: the same route handler, no proxy.ts, no headers())`,
        url: `${floor.url}/api/bench-floor`,
        headers: proxiedHeaders,
        expectBody: trivialBody,
        web: floor,
      },
      {
        key: "p",
        name: "p bare Next: /articles page",
        request: `GET /articles on the bare app with the same cookie as d (not read): Next's fetch with a fixed bearer, the same list query and components, no auth; ${payloads.floorPageBytes} B HTML`,
        url: `${floor.url}/articles`,
        headers: { cookie: session.cookie },
        web: floor,
      },
    );
  }
  if (cluster !== undefined && "cluster" in cluster && session.clusterCookie !== undefined) {
    const { pair, one, balancer } = cluster.cluster;
    const headers = { cookie: session.clusterCookie, "x-csrf": "1", accept };
    const path = `/api/upstream${upstreamPath}`;
    specs.push(
      {
        key: "m",
        name: "m b via nginx, two instances",
        request: `as b, through nginx (round robin, keep-alive) over two next start instances sharing Redis; web CPU of both`,
        url: `${pair.url}${path}`,
        headers,
        expectBody: directBody,
        web: pair,
        balancer,
      },
      {
        key: "o",
        name: "o b via nginx, one instance",
        request: `as m, through the same nginx to the first instance only`,
        url: `${one.url}${path}`,
        headers,
        expectBody: directBody,
        web: one,
        balancer,
      },
    );
  }
  return specs;
}
