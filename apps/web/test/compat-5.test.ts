import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ifStarted } from "../../../test-support/hooks.js";
import { demoUsers } from "./support/context";
import {
  type ApiServer,
  type Server,
  familyReport,
  newSecret,
  proxiedRead,
  signInOverHttp,
  signOutOverHttp,
  startApi,
  startWeb,
  tokensOf,
  waitUntil,
} from "./support/refresh-servers";

/**
 * The web app against the reference API in simple_oauth 5.x mode (API_COMPAT=5): the client id
 * is the consumer's UUID, granted scopes are narrowed to the user's own roles, a refused refresh
 * token is 401 invalid_request, and there is no revocation endpoint. An editor and a reader sign
 * in, read through the proxy, refresh once per burst, and sign out.
 */
const NEXT_WEB_UUID = "a6a1f7fe-a77c-466d-a5a2-17098cec0c50";
const secret = newSecret();

let api: ApiServer;
let web: Server;

beforeAll(async () => {
  api = await startApi({
    accessTokenTtl: 3,
    env: { API_COMPAT: "5" },
  });
  web = await startWeb({ apiUrl: api.url, secret, env: { UPSTREAM_CLIENT_ID: NEXT_WEB_UUID } });
}, 60_000);

afterAll(async () => {
  await ifStarted(web)?.stop();
  await ifStarted(api)?.stop();
});

describe("against simple_oauth 5.x semantics", () => {
  it.each([
    ["an editor", demoUsers.alice],
    ["a reader", demoUsers.bob],
  ])(
    "%s signs in, reads through the proxy, refreshes once per burst and signs out",
    async (_who, user) => {
      const jar = await signInOverHttp(web.url, user.username, user.password);
      const kept = jar.clone();
      const first = await tokensOf(jar, secret);
      expect((await proxiedRead(web.url, jar)).status).toBe(200);

      await waitUntil(first.accessTokenExpiresAt);
      const burst = await Promise.all(Array.from({ length: 20 }, () => proxiedRead(web.url, jar)));
      expect(burst.map((response) => response.status)).toEqual(Array(20).fill(200));
      for (const response of burst) jar.apply(response);
      expect(familyReport(api.databasePath, first.refreshToken)).toEqual({
        refreshes: 1,
        revokedUnrotated: 0,
        live: 1,
      });

      await signOutOverHttp(web.url, jar);
      expect(jar.session()).toBe("");
      // The cookie from before the sign-out no longer works, though 5.x cannot revoke upstream.
      const after = await proxiedRead(web.url, kept);
      expect(after.status).toBe(401);
      expect(await after.json()).toEqual({ error: "session_expired" });
    },
  );
});
