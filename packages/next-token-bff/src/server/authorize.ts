import { BffError } from "../errors/bff-error.js";
import { formatSignInErrorParam } from "../errors/sign-in-error-param.js";
import type { UpstreamProvider } from "../providers/types.js";
import { type SignedInUser, signedInUser } from "./signed-in-user.js";

/**
 * The Credentials provider's `authorize`: password grant, then the user's display fields. Every
 * failure becomes an Error whose message is the stable code (next-auth forwards only the
 * message to the sign-in page); details go to the server log.
 */
export async function authorizeWithUpstream(
  provider: UpstreamProvider,
  credentials: Record<string, string> | undefined,
  log: (message: string, error: unknown) => void,
): Promise<SignedInUser> {
  const username = credentials?.username?.trim() ?? "";
  const password = credentials?.password ?? "";
  if (username.length === 0 || password.length === 0) {
    throw new Error(formatSignInErrorParam("invalid_credentials"));
  }
  try {
    const upstreamTokens = await provider.signIn({ username, password });
    const upstreamUser = await provider.fetchUser(upstreamTokens);
    return signedInUser(upstreamUser, upstreamTokens);
  } catch (error) {
    const failure =
      error instanceof BffError
        ? error
        : new BffError("upstream_unavailable", "Sign-in failed unexpectedly", { cause: error });
    if (failure.code !== "invalid_credentials") log(`sign-in via ${provider.id} failed`, failure);
    throw new Error(formatSignInErrorParam(failure.code, failure.retryAfterSeconds));
  }
}
