import { BffError } from "../errors/bff-error.js";
import { formatSignInErrorParam } from "../errors/sign-in-error-param.js";
import type { UpstreamProvider } from "../providers/types.js";
import { clientAddress } from "./client-address.js";
import { type SignedInUser, signedInUser, tokensOnly } from "./signed-in-user.js";
import type { SignInLimiter } from "./sign-in-limiter.js";

/** What {@link authorizeWithUpstream} needs besides the form. */
export interface AuthorizeDeps {
  /** The upstream that checks the password. */
  provider: UpstreamProvider;
  /** Failed sign-ins per browser address and per account. */
  limiter: SignInLimiter;
  /** Reverse proxies in front of the app (`TRUSTED_PROXY_HOPS`). */
  trustedProxyHops: number;
  /** Where unexpected failures and refusals are reported. */
  log: (message: string, error: unknown) => void;
  /** Waits before a password check the account's failures slow down. Default: `setTimeout`. */
  sleep?: (ms: number) => Promise<void>;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The Credentials provider's `authorize`: limits, password grant, then the user's display
 * fields (from the token response when the provider found them there, else `fetchUser`). Every failure becomes an Error whose message is the stable code (next-auth forwards
 * only the message to the sign-in page); details go to the server log.
 */
export async function authorizeWithUpstream(
  deps: AuthorizeDeps,
  credentials: Record<string, string> | undefined,
  headers: Record<string, string | undefined> | undefined,
): Promise<SignedInUser> {
  const username = credentials?.username?.trim() ?? "";
  const password = credentials?.password ?? "";
  if (username.length === 0 || password.length === 0) {
    throw new BffError("invalid_credentials", formatSignInErrorParam("invalid_credentials"));
  }
  const attempt = {
    username,
    address: clientAddress(headers?.["x-forwarded-for"], deps.trustedProxyHops),
  };
  const reservation = await deps.limiter.reserve(attempt);
  if (reservation.refused) {
    const wait = reservation.retryAfterSeconds;
    // A security event (catalogue E3): who is being refused, never the name typed.
    deps.log(
      "sign-in refused by the sign-in limits",
      new BffError("too_many_attempts", `from ${attempt.address}, retry in ${wait} s`),
    );
    throw new BffError("too_many_attempts", formatSignInErrorParam("too_many_attempts", wait), {
      retryAfterSeconds: wait,
    });
  }
  if (reservation.delaySeconds > 0) {
    // The account has many failures from anywhere: slowed down, never refused (catalogue C1).
    deps.log(
      "sign-in slowed down by the account's failed sign-ins",
      new BffError(
        "too_many_attempts",
        `from ${attempt.address}, waited ${reservation.delaySeconds} s`,
      ),
    );
    await (deps.sleep ?? sleepFor)(reservation.delaySeconds * 1000);
  }

  const { provider } = deps;
  try {
    const signedIn = await provider.signIn({
      username,
      password,
      // With no trusted proxy the address is the client's own choice: the upstream gets none.
      clientAddress:
        deps.trustedProxyHops === 0 || attempt.address === "unknown" ? undefined : attempt.address,
    });
    const upstreamTokens = tokensOnly(signedIn);
    // The token response may already have named the user (an id_token): no second round trip.
    const upstreamUser = signedIn.user ?? (await provider.fetchUser(upstreamTokens));
    await deps.limiter.settle(attempt, "signed_in");
    return signedInUser(upstreamUser, upstreamTokens);
  } catch (error) {
    const failure =
      error instanceof BffError
        ? error
        : new BffError("upstream_unavailable", "Sign-in failed unexpectedly", { cause: error });
    // Only a wrong password counts against the limits.
    if (failure.code === "invalid_credentials") {
      await deps.limiter.settle(attempt, "wrong_password");
    } else {
      await deps.limiter.settle(attempt, "not_counted");
      deps.log(`sign-in via ${provider.id} failed`, failure);
    }
    throw new BffError(
      failure.code,
      formatSignInErrorParam(failure.code, failure.retryAfterSeconds),
      {
        retryAfterSeconds: failure.retryAfterSeconds,
      },
    );
  }
}
