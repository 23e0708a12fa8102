/**
 * The values `npm start` uses in demo mode. They are public (they are in this repository), so
 * configuration refuses them unless demo mode is on.
 */
export const DEMO_NEXTAUTH_SECRET = "demo-only-next-token-bff-secret-never-use-in-production";
/** The demo app's public URL: where `npm start` serves it. */
export const DEMO_NEXTAUTH_URL = "http://localhost:3000";

/** Secrets found in example files everywhere; refused outside demo mode too. */
export const knownPublicSecrets: readonly string[] = [DEMO_NEXTAUTH_SECRET];
