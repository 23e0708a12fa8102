import { Agent, request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoUsers } from "../support/context";
import {
  type ApiServer,
  type CookieJar,
  type Server,
  newSecret,
  signInOverHttp,
  startApi,
  startWeb,
} from "../support/refresh-servers";
import { ifStarted } from "../../../../test-support/hooks.js";

/**
 * B10 slow uploads against `next start` and the reference API: one signed-in user opens 64
 * uploads through the proxy that trickle a byte now and then and never finish, while another
 * user reads through the proxy. A body must arrive in full before it gets an upstream
 * connection, within UPSTREAM_REQUEST_BODY_TIMEOUT (5 s here, 30 s by default), and a session
 * may have 16 proxied requests in flight (the default): so the trickling uploads hold no upstream
 * connection, end with 408 or 429, and the other user's reads stay fast.
 */
const BODY_TIMEOUT_SECONDS = 5;
const UPLOADS = 64;
const articles = "/api/upstream/jsonapi/node/article";

let api: ApiServer;
let web: Server;

beforeAll(async () => {
  api = await startApi({ accessTokenTtl: 300, maxSeconds: 300 });
  web = await startWeb({
    apiUrl: api.url,
    secret: newSecret(),
    maxSeconds: 300,
    env: { UPSTREAM_REQUEST_BODY_TIMEOUT: String(BODY_TIMEOUT_SECONDS) },
  });
}, 90_000);

afterAll(async () => {
  await ifStarted(web)?.stop();
  await ifStarted(api)?.stop();
});

/**
 * A POST through the proxy whose body trickles (one byte every 500 ms of a declared 4,000) and
 * never ends; resolves with the status the server answers, and stops sending then.
 */
function trickleUpload(
  jar: CookieJar,
  agent: Agent,
): Promise<{ status: number; body: string; retryAfter: string | undefined }> {
  const target = new URL(`${web.url}${articles}`);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        agent,
        headers: {
          cookie: jar.header(),
          "x-csrf": "1",
          origin: web.url,
          "content-type": "application/vnd.api+json",
          "content-length": "4000",
        },
      },
      (res) => {
        clearInterval(timer);
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            retryAfter: res.headers["retry-after"],
          });
          req.destroy();
        });
        res.on("error", reject);
      },
    );
    req.on("error", (error) => {
      clearInterval(timer);
      reject(error);
    });
    req.write("{");
    const timer = setInterval(() => req.write(" "), 500);
    req.setTimeout(60_000, () => req.destroy(new Error("no answer to a slow upload in 60 s")));
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

describe("B10 slow uploads through the proxy", () => {
  it("B10 64 trickling uploads from one session end with 408 or 429 while another user's proxied reads keep p99 under 1 s", async () => {
    const [attacker, reader] = await Promise.all([
      signInOverHttp(web.url, demoUsers.alice.username, demoUsers.alice.password),
      signInOverHttp(web.url, demoUsers.bob.username, demoUsers.bob.password),
    ]);
    const agent = new Agent({ keepAlive: false, maxSockets: UPLOADS });
    const started = Date.now();
    const uploads = Array.from({ length: UPLOADS }, () => trickleUpload(attacker, agent));

    // The other user reads, two at a time, for longer than the uploads' deadline.
    const latencies: number[] = [];
    const statuses = new Set<number>();
    const readLoop = async () => {
      while (Date.now() - started < (BODY_TIMEOUT_SECONDS + 1.5) * 1000) {
        const begin = performance.now();
        const response = await fetch(`${web.url}${articles}?page[limit]=1`, {
          headers: { cookie: reader.header(), "x-csrf": "1" },
        });
        await response.arrayBuffer();
        latencies.push(performance.now() - begin);
        statuses.add(response.status);
      }
    };
    await Promise.all([readLoop(), readLoop()]);
    const answers = await Promise.all(uploads);
    agent.destroy();

    expect([...statuses]).toEqual([200]);
    expect(latencies.length).toBeGreaterThan(20);
    expect(percentile(latencies, 99)).toBeLessThan(1000);

    const byStatus = new Map<number, number>();
    for (const { status } of answers) byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    expect([...byStatus.keys()].sort()).toEqual([408, 429]);
    // 16 in flight per session (the default): the rest are turned away at once.
    expect(byStatus.get(408)).toBeLessThanOrEqual(16);
    expect(byStatus.get(429)).toBeGreaterThanOrEqual(UPLOADS - 16);
    for (const { status, body, retryAfter } of answers) {
      expect(JSON.parse(body)).toEqual({
        error: status === 408 ? "request_timeout" : "too_many_requests",
      });
      if (status === 429) expect(retryAfter).toBe("1");
    }
  });
});
