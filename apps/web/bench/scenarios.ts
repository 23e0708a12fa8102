import { accept, config, upstreamPath } from "./config";
import { type ExtraPayloads, extraScenarios } from "./extra-scenarios";
import type { Payloads } from "./payloads";
import type { BenchServer } from "./servers";
import type { ServerSet } from "./start-servers";

/** One load scenario: what autocannon requests and whose CPU it counts. */
export interface ScenarioSpec {
  key: "a" | "b" | "r" | "c" | "d" | "e" | "t" | "f" | "p" | "m" | "o" | "w";
  name: string;
  request: string;
  url: string;
  /** Default GET without a body. */
  method?: "POST";
  body?: string;
  headers: Record<string, string>;
  /** The answer's body, up to JSON:API's random keys of omitted items. */
  expectBody?: string;
  /** The web server whose CPU is counted; none when the API is measured directly. */
  web: BenchServer | undefined;
  /** A balancer in front of `web`, whose CPU is counted apart. */
  balancer?: BenchServer;
}

const scenarioNames: Record<"a" | "b" | "r" | "c" | "d" | "e", string> = {
  a: "a API directly (bearer)",
  b: "b through /api/upstream",
  r: "b′ same, route handler only",
  c: "c floor route handler",
  d: "d /articles page (SSR)",
  e: "d on the second server",
};

/** The scenarios BENCH_SCENARIOS asks for, in report order. */
export function scenarios(
  servers: ServerSet,
  payloads: Payloads & ExtraPayloads,
  session: { cookie: string; accessToken: string; clusterCookie: string | undefined },
): ScenarioSpec[] {
  const { api, web, routeOnly } = servers;
  const { directBody, bytes, proxiedHeaders, floorUrl, floorBody, pageBytes } = payloads;
  const all: ScenarioSpec[] = [
    {
      key: "a",
      name: scenarioNames.a,
      request: `GET ${upstreamPath} with Authorization: Bearer, on the API`,
      url: `${api.url}${upstreamPath}`,
      headers: { authorization: `Bearer ${session.accessToken}`, accept },
      expectBody: directBody,
      web: undefined,
    },
    {
      key: "b",
      name: scenarioNames.b,
      request: `GET /api/upstream${upstreamPath} with the session cookie and X-CSRF: 1`,
      url: `${web.url}/api/upstream${upstreamPath}`,
      headers: proxiedHeaders,
      expectBody: directBody,
      web,
    },
    ...(routeOnly === undefined
      ? []
      : [
          {
            key: "r" as const,
            name: scenarioNames.r,
            request: `as b, on a second next start of the same build with UPSTREAM_IN_PROXY=0: proxy.ts passes the request on and the route handler answers`,
            url: `${routeOnly.url}/api/upstream${upstreamPath}`,
            headers: proxiedHeaders,
            expectBody: directBody,
            web: routeOnly,
          },
          {
            key: "e" as const,
            name: scenarioNames.e,
            request: `as d, on the second server (${config.baselineDist ?? "UPSTREAM_IN_PROXY=0"})`,
            url: `${routeOnly.url}/articles`,
            headers: { cookie: session.cookie },
            web: routeOnly,
          },
        ]),
    {
      key: "c",
      name: scenarioNames.c,
      request: `GET /api/bench-floor?bytes=${bytes} with the same headers as b (the cookie is not read; no upstream call; ${bytes} B)`,
      url: floorUrl,
      // What a browser sends to any route of the origin: the session cookie comes along.
      headers: proxiedHeaders,
      expectBody: floorBody,
      web,
    },
    {
      key: "d",
      name: scenarioNames.d,
      request: `GET /articles with the session cookie (proxy.ts, render, upstream list call; ${pageBytes} B HTML)`,
      url: `${web.url}/articles`,
      headers: { cookie: session.cookie },
      web,
    },
    ...extraScenarios(servers, payloads, session),
  ];
  return all.filter((spec) => config.only.includes(spec.key));
}
