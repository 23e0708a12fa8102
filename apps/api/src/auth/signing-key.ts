import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from "node:crypto";
import type { Database } from "../db/database.js";
import { nowSeconds } from "../db/database.js";

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as published on `/oauth/jwks` (no private members). */
  publicJwk: { kty: "RSA"; n: string; e: string; alg: "RS256"; use: "sig" };
}

/** Loads the RSA signing key, generating and persisting one on first start. */
export function loadSigningKey(db: Database): SigningKey {
  let row = db
    .prepare("SELECT private_pem, public_pem FROM signing_keys ORDER BY id DESC LIMIT 1")
    .get() as { private_pem: string; public_pem: string } | undefined;
  if (!row) {
    const pair = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
    });
    row = { private_pem: pair.privateKey, public_pem: pair.publicKey };
    db.prepare("INSERT INTO signing_keys (private_pem, public_pem, created) VALUES (?, ?, ?)").run(
      row.private_pem,
      row.public_pem,
      nowSeconds(),
    );
  }
  const publicKey = createPublicKey(row.public_pem);
  const jwk = publicKey.export({ format: "jwk" });
  return {
    privateKey: createPrivateKey(row.private_pem),
    publicKey,
    publicJwk: { kty: "RSA", n: String(jwk.n), e: String(jwk.e), alg: "RS256", use: "sig" },
  };
}
