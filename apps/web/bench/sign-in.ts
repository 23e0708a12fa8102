import { CookieJar } from "../test/support/refresh-servers";
import { alice, config } from "./config";
import type { ServerSet } from "./start-servers";
import { timed } from "./timing";
import { form, formHeaders, passwordGrant } from "./tokens";

/** Sign-in latencies, ms, one entry per sign-in. */
export interface SignInTimes {
  /** The token endpoint's password grant, called directly. */
  direct: number[];
  /** userinfo directly, for reference. */
  userinfo: number[];
  /** next-auth's credentials callback. */
  appCallbacks: number[];
  /** The CSRF fetch and the callback together. */
  appWhole: number[];
  /** BENCH_SIGNIN_BASELINE_SCOPE: token endpoint and app callback with that scope, same loop. */
  baseline: { scope: string; direct: number[]; app: number[] } | undefined;
}

/** The login form's two requests: next-auth's CSRF token, then the credentials callback. */
async function appSignIn(webUrl: string): Promise<{ csrfMs: number; callbackMs: number }> {
  const jar = new CookieJar();
  const csrf = await timed(async () => {
    const response = await fetch(`${webUrl}/api/auth/csrf`);
    jar.apply(response);
    return ((await response.json()) as { csrfToken: string }).csrfToken;
  });
  const callback = await timed(async () => {
    const response = await fetch(`${webUrl}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { ...formHeaders, cookie: jar.header() },
      body: form({
        csrfToken: csrf.value,
        username: alice.username,
        password: alice.password,
        json: "true",
      }),
    });
    await response.arrayBuffer();
    jar.apply(response);
  });
  if (jar.session() === "") throw new Error("sign-in through the app failed");
  return { csrfMs: csrf.ms, callbackMs: callback.ms };
}

/** Sign-in latency: the token endpoint directly vs the app's callback, interleaved. */
export async function measureSignIns(servers: ServerSet): Promise<SignInTimes> {
  const { api, web, signInBaselineWeb } = servers;
  const { signInBaselineScope } = config;
  const direct: number[] = [];
  const userinfo: number[] = [];
  const appCallbacks: number[] = [];
  const appWhole: number[] = [];
  const baselineSignIns = { direct: [] as number[], app: [] as number[] };
  for (let index = 0; index < config.signIns; index += 1) {
    // The paired baseline first in every other iteration, so neither side always goes first.
    const baselineFirst = index % 2 === 0;
    const baselineSignIn = async () => {
      if (signInBaselineWeb === undefined || signInBaselineScope === undefined) return;
      const grant = await timed(() => passwordGrant(api.url, signInBaselineScope));
      baselineSignIns.direct.push(grant.ms);
      baselineSignIns.app.push((await appSignIn(signInBaselineWeb.url)).callbackMs);
    };
    if (baselineFirst) await baselineSignIn();
    const grant = await timed(() => passwordGrant(api.url));
    direct.push(grant.ms);
    // userinfo, for reference: the app's sign-in skips it when the token response carries
    // an id_token with the display fields (scope openid), and calls it otherwise.
    const userinfoCall = await timed(async () => {
      const response = await fetch(`${api.url}/oauth/userinfo`, {
        headers: { authorization: `Bearer ${grant.value.accessToken}` },
      });
      await response.arrayBuffer();
    });
    userinfo.push(userinfoCall.ms);
    const app = await appSignIn(web.url);
    appCallbacks.push(app.callbackMs);
    appWhole.push(app.csrfMs + app.callbackMs);
    if (!baselineFirst) await baselineSignIn();
  }
  const baseline =
    signInBaselineScope === undefined
      ? undefined
      : { scope: signInBaselineScope, ...baselineSignIns };
  return { direct, userinfo, appCallbacks, appWhole, baseline };
}
