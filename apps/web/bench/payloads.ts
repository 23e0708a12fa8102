import type { CookieJar } from "../test/support/refresh-servers";
import { accept, upstreamPath } from "./config";
import type { ServerSet } from "./start-servers";

/** JSON:API names omitted items with random keys (`item--<7 chars>`): compare the rest. */
export const stable = (body: string) => body.replace(/"item--[A-Za-z0-9_-]{7}"/g, '"item--"');

/** What the scenarios send and expect, fetched and compared once before measuring. */
export interface Payloads {
  directBody: string;
  /** Size of the API's answer; the floor answers as many bytes. */
  bytes: number;
  proxiedHeaders: Record<string, string>;
  floorUrl: string;
  floorBody: string;
  pageBytes: number;
}

/** The same payload everywhere: the API directly, through the app (both servers), the floor. */
export async function checkPayloads(
  servers: ServerSet,
  jar: CookieJar,
  accessToken: string,
): Promise<Payloads> {
  const { api, web, routeOnly } = servers;
  const direct = await fetch(`${api.url}${upstreamPath}`, {
    headers: { authorization: `Bearer ${accessToken}`, accept },
  });
  const directBody = await direct.text();
  const proxiedHeaders = { cookie: jar.header(), "x-csrf": "1", accept };
  const proxied = await fetch(`${web.url}/api/upstream${upstreamPath}`, {
    headers: proxiedHeaders,
  });
  const proxiedBody = await proxied.text();
  if (
    direct.status !== 200 ||
    proxied.status !== 200 ||
    stable(proxiedBody) !== stable(directBody)
  ) {
    throw new Error(`payload differs: direct ${direct.status}, proxied ${proxied.status}`);
  }
  if (routeOnly !== undefined) {
    const viaRoute = await fetch(`${routeOnly.url}/api/upstream${upstreamPath}`, {
      headers: proxiedHeaders,
    });
    if (viaRoute.status !== 200 || stable(await viaRoute.text()) !== stable(directBody)) {
      throw new Error(`payload through the route handler differs (${viaRoute.status})`);
    }
  }
  const bytes = Buffer.byteLength(directBody);
  const floorUrl = `${web.url}/api/bench-floor?bytes=${bytes}`;
  const floorBody = await (await fetch(floorUrl)).text();
  if (Buffer.byteLength(floorBody) !== bytes) throw new Error("floor body has another size");
  const page = await fetch(`${web.url}/articles`, {
    headers: { cookie: jar.header() },
    redirect: "manual",
  });
  const pageBytes = Buffer.byteLength(await page.text());
  if (page.status !== 200) throw new Error(`/articles answered ${page.status}`);
  return { directBody, bytes, proxiedHeaders, floorUrl, floorBody, pageBytes };
}
