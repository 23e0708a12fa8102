// lib/jwt-api-provider.ts: {jwt, refreshToken}, refresh at its own path, logout needs a live bearer
import { classifyAnswer, createJsonTokenProvider } from "../../../src/providers.js";

export const jwtApiProvider = (baseUrl: string) =>
  createJsonTokenProvider({
    id: "jwt-api",
    baseUrl,
    signIn: { path: "/login", body: { username: "{username}", password: "{password}" } },
    refresh: { path: "/token/refresh", body: { refreshToken: "{refreshToken}" } },
    // With `bearer`, the library refreshes first when the access token has expired.
    revoke: { path: "/logout", bearer: true },
    tokens: { accessToken: "jwt", refreshToken: "refreshToken" }, // expiry: the JWT's `exp`
    user: {
      path: "/profile",
      fields: { sub: "user.uuid", username: "user.login", name: "user.name", roles: "user.groups" },
    },
    // This API answers 403 {"message":"jwt expired"} to a dead token: refresh, not "forbidden".
    classify: (answer) =>
      answer.status === 403 && answer.body.includes("jwt expired")
        ? "token_invalid"
        : classifyAnswer(answer),
  });
