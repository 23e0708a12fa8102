// lib/shop-provider.ts: JSON login, tokens in {data}, expiry in epoch milliseconds
import { createJsonTokenProvider } from "../../../src/providers.js";

export const shopProvider = (baseUrl: string) =>
  createJsonTokenProvider({
    id: "shop",
    baseUrl,
    signIn: { path: "/auth/login", body: { email: "{username}", password: "{password}" } },
    refresh: { path: "/auth/refresh", body: { refresh_token: "{refreshToken}" } },
    revoke: { path: "/auth/logout", body: { refresh_token: "{refreshToken}" } },
    tokens: {
      accessToken: "data.access_token",
      refreshToken: "data.refresh_token",
      expires: { path: "data.expires", as: "epoch-milliseconds" },
    },
    user: {
      path: "/auth/me",
      fields: { sub: "data.id", name: "data.name", email: "data.email", roles: "data.roles" },
    },
  });
