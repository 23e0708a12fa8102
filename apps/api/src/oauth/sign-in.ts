import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyRequest } from "fastify";
import { sha256 } from "../auth/hash.js";
import { verifyPassword } from "../auth/passwords.js";
import type { UserWithHash } from "../db/users.js";
import type { Services } from "../services.js";
import { logSafe } from "./log-safe.js";
import { signInAddress } from "./client-address.js";
import type { LoginLimiter } from "./login-limiter.js";

export type SignInResult =
  | { outcome: "success"; user: UserWithHash }
  | { outcome: "throttled"; retryAfter: number }
  | { outcome: "failed" };

export interface SignInAttempt {
  request: FastifyRequest;
  services: Services;
  limiter: LoginLimiter;
  /** The account name or e-mail address as typed. */
  username: string;
  password: string;
  clientId: string;
  /** Where the password was entered, for the log. */
  via: "password_grant" | "sign_in_page";
}

/**
 * Checks a user's password under the brute-force limits (security catalogue C1), the same for
 * the password grant and the authorization endpoint's sign-in page: they share one limiter, so
 * failures on either count against the same account and address. Unknown user, wrong password
 * and blocked user give the same `failed` and all cost one Argon2 verification. The account-wide
 * slow-down is waited out before the password is checked, so the answer's timing says nothing
 * about the password.
 */
export async function signIn(attempt: SignInAttempt): Promise<SignInResult> {
  const { request, services, limiter, username, password } = attempt;
  const user = services.users.findByNameOrMail(username);
  // One counter per account, whether it is addressed by name or by e-mail.
  const accountKey = user ? `uid:${user.uid}` : `name:${sha256(username.toLowerCase())}`;
  const log = {
    username: logSafe(username),
    clientId: attempt.clientId,
    via: attempt.via,
    // The browser's address when a trusted proxy (the BFF) says so (TRUSTED_PROXIES).
    ip: request.ip,
  };
  const address = signInAddress(request, services.config.trustedProxies);

  const reservation = await limiter.reserve(accountKey, address);
  if (reservation.outcome === "refused") {
    const { retryAfter } = reservation;
    request.log.warn({ ...log, outcome: "throttled", retryAfter }, "sign-in throttled");
    return { outcome: "throttled", retryAfter };
  }
  if (reservation.delayMs > 0) {
    request.log.info({ ...log, delayMs: reservation.delayMs }, "sign-in slowed down");
    await sleep(reservation.delayMs);
  }

  const passwordOk = await verifyPassword(user?.pass, password);
  if (!user || !passwordOk || !user.status) {
    const outcome = !user ? "unknown_user" : !passwordOk ? "wrong_password" : "blocked_user";
    await limiter.failed(accountKey);
    request.log.info({ ...log, outcome }, "sign-in failed");
    return { outcome: "failed" };
  }

  await limiter.succeeded(accountKey, address);
  request.log.info({ ...log, uid: user.uid, outcome: "success" }, "sign-in succeeded");
  return { outcome: "success", user };
}
