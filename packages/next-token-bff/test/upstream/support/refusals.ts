import { afterAll, beforeAll, beforeEach } from "vitest";
import type { BffCore as Bff } from "../../../src/lib/bff/bff.js";
import { createUpstreamRoute } from "../../../src/lib/upstream/upstream-route.js";
import type { UpstreamRoute } from "../../../src/lib/upstream/upstream-route.js";
import { fakeClaims, sessionCookie, testBff } from "./sessions.js";
import { type SpyUpstream, startSpyUpstream } from "./spy-upstream.js";

/**
 * The shared setup of the `proxy-refusals-*.test.ts` files: the proxy route against a spy
 * upstream that records every request, a second spy standing for an attacker's host, and a
 * fresh signed-in session before each test. A test file calls `useRefusalSetup()` once at its
 * top level; the bindings below are live, so its tests read the current values.
 */

export let spy: SpyUpstream;
export let attacker: SpyUpstream;
export let bff: Bff;
export let route: UpstreamRoute;
export let claims: ReturnType<typeof fakeClaims>;
export let cookie: string;

export function useRefusalSetup(): void {
  beforeAll(async () => {
    spy = await startSpyUpstream();
    attacker = await startSpyUpstream();
    bff = testBff(spy.url);
    route = createUpstreamRoute({ getBff: () => bff, maxBodyBytes: 1024, timeoutMs: 5_000 });
  });

  afterAll(async () => {
    await spy.close();
    await attacker.close();
  });

  beforeEach(async () => {
    spy.reset();
    attacker.reset();
    claims = fakeClaims();
    cookie = await sessionCookie(bff, claims);
  });
}
