import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    webUrl: string;
    apiUrl: string;
    sessionSecret: string;
    apiDatabasePath: string;
  }
}

/** URLs and the session secret of the servers the global setup started. */
export function testServers() {
  return {
    webUrl: inject("webUrl"),
    apiUrl: inject("apiUrl"),
    sessionSecret: inject("sessionSecret"),
    apiDatabasePath: inject("apiDatabasePath"),
  };
}

export const upstreamClient = { id: "next-web", secret: "next-web-secret" };
export const demoUsers = {
  alice: { username: "alice", password: "alice-password" },
  bob: { username: "bob", password: "bob-password" },
  admin: { username: "admin", password: "admin-password" },
};
