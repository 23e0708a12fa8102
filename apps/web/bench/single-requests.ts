import { accept, config, upstreamPath } from "./config";
import { expiredSession } from "./refresh-storm";
import { timed } from "./timing";
import { passwordGrant, tokenRequest } from "./tokens";

/** Latencies of requests made one at a time (ms), to compare the storms and the load with. */
export interface SingleRequestTimes {
  /** One refresh_token grant on the API. */
  refresh: number[];
  /** One request through /api/upstream, interleaved with `direct`. */
  proxied: number[];
  /** The same request on the API. */
  direct: number[];
  /** One request through the app with an expired session (refresh + request). */
  expired: number[];
}

export async function measureSingleRequests(
  urls: { api: string; web: string },
  secret: string,
  proxiedHeaders: Record<string, string>,
  accessToken: string,
): Promise<SingleRequestTimes> {
  const times: SingleRequestTimes = { refresh: [], proxied: [], direct: [], expired: [] };
  const withStorms = config.storms > 0;
  let refreshChain = withStorms ? (await passwordGrant(urls.api)).refreshToken : "";
  for (let index = 0; index < (withStorms ? 5 : 0); index += 1) {
    const refreshed = await timed(() =>
      tokenRequest(urls.api, { grant_type: "refresh_token", refresh_token: refreshChain }),
    );
    refreshChain = refreshed.value.refreshToken;
    times.refresh.push(refreshed.ms);
  }
  // One connection, one request at a time, interleaved: b and a without queueing.
  for (let index = 0; index < 30; index += 1) {
    const proxiedOne = await timed(async () => {
      const response = await fetch(`${urls.web}/api/upstream${upstreamPath}`, {
        headers: proxiedHeaders,
      });
      await response.arrayBuffer();
    });
    times.proxied.push(proxiedOne.ms);
    const directOne = await timed(async () => {
      const response = await fetch(`${urls.api}${upstreamPath}`, {
        headers: { authorization: `Bearer ${accessToken}`, accept },
      });
      await response.arrayBuffer();
    });
    times.direct.push(directOne.ms);
  }
  for (let index = 0; index < (withStorms ? 3 : 0); index += 1) {
    const { jar: expired } = await expiredSession(urls.web, secret);
    const { ms, value: status } = await timed(async () => {
      const response = await fetch(`${urls.web}/api/upstream${upstreamPath}`, {
        headers: { cookie: expired.header(), "x-csrf": "1", accept },
      });
      await response.arrayBuffer();
      return response.status;
    });
    if (status !== 200) throw new Error(`a single expired request answered ${status}`);
    times.expired.push(ms);
  }
  return times;
}
