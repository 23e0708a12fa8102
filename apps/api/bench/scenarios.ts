import { FORM, passwordBody, passwordGrant } from "./grants.js";
import { type Row, describeError, measure, probe } from "./measurement.js";
import { refreshGrantRow } from "./refresh-scenario.js";
import { config } from "./config.js";

const ARTICLES_PATH = "/jsonapi/node/article?page%5Blimit%5D=10";

/** The three scenarios, one after the other against the same server. */
export async function runScenarios(base: string): Promise<Row[]> {
  const common = { connections: config.connections, pipelining: 1 } as const;
  return [
    await passwordGrantRow(base, common),
    await refreshGrantRow(base, common),
    await articlesRow(base, common),
  ];
}

type Common = { connections: number; pipelining: 1 };

/** (a) Password grant: Argon2id verification dominates; the limiter counts failed logins only. */
async function passwordGrantRow(base: string, common: Common): Promise<Row> {
  const row: Row = {
    scenario: "password grant",
    request: "POST /oauth/token grant_type=password (alice, scope editor)",
  };
  row.skipped = await probe(base, "/oauth/token", {
    method: "POST",
    headers: FORM,
    body: passwordBody,
  });
  if (!row.skipped) {
    console.log("… password grant");
    row.result = await measure({
      ...common,
      url: `${base}/oauth/token`,
      method: "POST",
      headers: FORM,
      body: passwordBody,
    });
  }
  return row;
}

/** (c) JSON:API collection with a bearer token: JWT verification + token row + 10 articles. */
async function articlesRow(base: string, common: Common): Promise<Row> {
  const row: Row = {
    scenario: "JSON:API articles",
    request: "GET /jsonapi/node/article?page[limit]=10 (Bearer, alice)",
  };
  let headers: Record<string, string> = {};
  try {
    const pair = await passwordGrant(base);
    headers = { authorization: `Bearer ${pair.access_token}` };
    row.skipped = await probe(base, ARTICLES_PATH, { headers });
  } catch (error) {
    row.skipped = describeError(error);
  }
  if (!row.skipped) {
    console.log("… JSON:API articles");
    row.result = await measure({ ...common, url: `${base}${ARTICLES_PATH}`, headers });
  }
  return row;
}
