import { config } from "./config.js";
import { FORM, passwordGrant, refreshBody } from "./grants.js";
import { type Row, describeError, measure, probe } from "./measurement.js";

/**
 * (b) Refresh grant: rotation revokes each refresh token on use, so every request takes an
 * unused token from a pool and every 200 puts the rotated token back in.
 */
export async function refreshGrantRow(
  base: string,
  common: { connections: number; pipelining: 1 },
): Promise<Row> {
  const row: Row = {
    scenario: "refresh_token grant",
    request: "POST /oauth/token grant_type=refresh_token (fresh token each request)",
  };
  const poolSize = config.connections * 4;
  const pool: string[] = [];
  try {
    for (let i = 0; i < poolSize; i += 4) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(4, poolSize - i) }, () => passwordGrant(base)),
      );
      pool.push(...batch.map((pair) => pair.refresh_token));
    }
    const first = pool.shift() ?? "";
    row.skipped = await probe(base, "/oauth/token", {
      method: "POST",
      headers: FORM,
      body: refreshBody(first),
    });
  } catch (error) {
    row.skipped = describeError(error);
  }
  if (row.skipped) return row;
  console.log("… refresh_token grant");
  let exhausted = 0;
  row.result = await measure({
    ...common,
    url: `${base}/oauth/token`,
    requests: [
      {
        method: "POST",
        path: "/oauth/token",
        headers: FORM,
        setupRequest: (request) => {
          const token = pool.shift();
          if (token === undefined) exhausted++;
          return { ...request, body: refreshBody(token ?? "pool-exhausted") };
        },
        onResponse: (status, body) => {
          if (status !== 200) return;
          const parsed = JSON.parse(body) as { refresh_token?: unknown };
          if (typeof parsed.refresh_token === "string") pool.push(parsed.refresh_token);
        },
      },
    ],
  });
  row.note =
    `autocannon with a pool of unused refresh tokens (${poolSize} pre-issued, refilled ` +
    `from each response)` +
    (exhausted > 0 ? `; the pool ran dry ${exhausted}× (those requests count as non-2xx)` : "");
  return row;
}
