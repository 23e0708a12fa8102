import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from "jose";
import { startTestApi, TEST_ISSUER, type TestApi } from "../helpers/test-api.js";
import { expectBearerRefused, login, revoke, userinfo, webClient } from "./oauth-client.js";

// Security catalogue D1/D2 against /oauth/userinfo: every forged or invalid token must get the
// simple_oauth 401 challenge. Forgeries reuse the claims of a real, live token (real jti, sub,
// aud, iss), so the only thing wrong with each is what the test changes.

function b64url(value: unknown): string {
  return Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString(
    "base64url",
  );
}

let api: TestApi;
let liveToken: string;
let claims: Record<string, unknown>;
let jti: string;
let attackerListener: Server;
let attackerUrl: string;
let attackerHits = 0;

beforeAll(async () => {
  api = await startTestApi();
  liveToken = (await login(api)).accessToken;
  claims = { ...decodeJwt(liveToken) };
  jti = String(claims.jti);
  attackerListener = createServer((_request, response) => {
    attackerHits += 1;
    response.end("{}");
  });
  await new Promise<void>((resolve) => attackerListener.listen(0, "127.0.0.1", resolve));
  attackerUrl = `http://127.0.0.1:${(attackerListener.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await api.close();
  await new Promise((resolve) => attackerListener.close(resolve));
});

/** Signs claims with the API's own private key, as a correct token would be signed. */
function signWithOurKey(
  payload: Record<string, unknown>,
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ typ: "JWT", alg: "RS256", jti, ...header })
    .sign(api.services.key.privateKey);
}

describe("D1 forged signatures, algorithms and key headers", () => {
  it("control: the live token and an exact re-signing of its claims are accepted", async () => {
    expect((await userinfo(api, liveToken)).status).toBe(200);
    expect((await userinfo(api, await signWithOurKey(claims))).status).toBe(200);
  });

  it.each(["none", "None", "NONE", "nOnE"])("alg %s with an empty signature", async (alg) => {
    const token = `${b64url({ typ: "JWT", alg, jti })}.${b64url(claims)}.`;
    expectBearerRefused(await userinfo(api, token));
  });

  it("the live token with its signature stripped (with and without the last dot)", async () => {
    const [header = "", payload = ""] = liveToken.split(".");
    expectBearerRefused(await userinfo(api, `${header}.${payload}.`));
    expectBearerRefused(await userinfo(api, `${header}.${payload}`));
  });

  it("HS256 signed with our public key as PEM and as JWK (algorithm confusion)", async () => {
    const pem = api.services.key.publicKey.export({ type: "spki", format: "pem" }).toString();
    const jwkText = JSON.stringify(api.services.key.publicJwk);
    for (const secret of [pem, jwkText]) {
      const token = await new SignJWT(claims)
        .setProtectedHeader({ typ: "JWT", alg: "HS256", jti })
        .sign(new TextEncoder().encode(secret));
      expectBearerRefused(await userinfo(api, token));
    }
  });

  it("attacker keys named in the header (jwk, jku, x5u, kid) are never trusted or fetched", async () => {
    const attacker = await generateKeyPair("RS256", { extractable: true });
    const attackerJwk = await exportJWK(attacker.publicKey);
    const headers: Array<Record<string, unknown>> = [
      { jwk: attackerJwk },
      { jku: `${attackerUrl}/jwks.json` },
      { x5u: `${attackerUrl}/cert.pem` },
      { kid: "attacker-key" },
      { kid: "' UNION SELECT 'k' --" },
    ];
    for (const extra of headers) {
      const token = await new SignJWT(claims)
        .setProtectedHeader({ typ: "JWT", alg: "RS256", jti, ...extra })
        .sign(attacker.privateKey);
      expectBearerRefused(await userinfo(api, token));
    }
    const devNull = await new SignJWT(claims)
      .setProtectedHeader({ typ: "JWT", alg: "HS256", jti, kid: "../../../../dev/null" })
      .sign(new Uint8Array(1));
    expectBearerRefused(await userinfo(api, devNull));
    expect(attackerHits).toBe(0);
  });

  it("a token signed by another RSA key, and an ES256 token", async () => {
    const otherRsa = await generateKeyPair("RS256");
    const rsaToken = await new SignJWT(claims)
      .setProtectedHeader({ typ: "JWT", alg: "RS256", jti })
      .sign(otherRsa.privateKey);
    expectBearerRefused(await userinfo(api, rsaToken));

    const ec = await generateKeyPair("ES256");
    const ecToken = await new SignJWT(claims)
      .setProtectedHeader({ typ: "JWT", alg: "ES256", jti })
      .sign(ec.privateKey);
    expectBearerRefused(await userinfo(api, ecToken));
  });

  it("garbage bearer values", async () => {
    for (const token of ["garbage", "a.b.c", "...", `${liveToken}x`]) {
      expectBearerRefused(await userinfo(api, token));
    }
  });
});

describe("D2 claim validation (signed with our real key)", () => {
  const now = () => Math.floor(Date.now() / 1000);

  it("expired exp, future nbf, missing exp", async () => {
    expectBearerRefused(
      await userinfo(api, await signWithOurKey({ ...claims, iat: now() - 600, exp: now() - 120 })),
    );
    expectBearerRefused(
      await userinfo(api, await signWithOurKey({ ...claims, nbf: now() + 3600 })),
    );
    const { exp: _exp, ...withoutExp } = claims;
    expectBearerRefused(await userinfo(api, await signWithOurKey(withoutExp)));
  });

  it("wrong or missing iss, wrong or missing aud", async () => {
    expectBearerRefused(
      await userinfo(api, await signWithOurKey({ ...claims, iss: "https://evil.example/" })),
    );
    const { iss: _iss, ...withoutIss } = claims;
    expectBearerRefused(await userinfo(api, await signWithOurKey(withoutIss)));
    expectBearerRefused(await userinfo(api, await signWithOurKey({ ...claims, aud: "other-app" })));
    const { aud: _aud, ...withoutAud } = claims;
    expectBearerRefused(await userinfo(api, await signWithOurKey(withoutAud)));
  });

  it("another user's sub on a live jti, an unknown jti, another typ", async () => {
    expectBearerRefused(await userinfo(api, await signWithOurKey({ ...claims, sub: "1" })));
    const unknownJti = "0".repeat(80);
    expectBearerRefused(
      await userinfo(
        api,
        await signWithOurKey({ ...claims, jti: unknownJti }, { jti: unknownJti }),
      ),
    );
    expectBearerRefused(await userinfo(api, await signWithOurKey(claims, { typ: "refresh+jwt" })));
  });

  it("a revoked jti", async () => {
    const { accessToken } = await login(api);
    expect(decodeProtectedHeader(accessToken).alg).toBe("RS256");
    expect((await userinfo(api, accessToken)).status).toBe(200);
    expect((await revoke(api, { token: accessToken, ...webClient })).status).toBe(200);
    expectBearerRefused(await userinfo(api, accessToken));
  });

  it("the live token still works after all the forgeries (nothing was revoked by them)", async () => {
    const response = await userinfo(api, liveToken);
    expect(response.status).toBe(200);
    expect(response.body.sub).toBe("2");
    expect(claims.iss).toBe(TEST_ISSUER);
  });
});
