import { hash, verify } from "@node-rs/argon2";

// OWASP Password Storage Cheat Sheet minimum for Argon2id: m=19 MiB, t=2, p=1.
// `algorithm: 2` is Argon2id (the package exports it as a const enum, which isolated modules cannot inline).
const argon2idOptions = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, argon2idOptions);
}

// A real hash of a random password, so an unknown user costs the same time as a wrong password.
let dummyHash: Promise<string> | undefined;

/** Verifies a password; pass `undefined` for an unknown user to spend the same time anyway. */
export async function verifyPassword(
  storedHash: string | undefined,
  password: string,
): Promise<boolean> {
  dummyHash ??= hashPassword(crypto.randomUUID());
  const target = storedHash ?? (await dummyHash);
  const matches = await verify(target, password).catch(() => false);
  return matches && storedHash !== undefined;
}
