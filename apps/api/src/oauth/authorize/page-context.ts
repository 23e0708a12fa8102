import type { Services } from "../../services.js";
import type { LoginLimiter } from "../login-limiter.js";
import type { PageSecurity } from "./page-security.js";

/** What the authorization endpoint and its pages share: services, the limiter, cookie security. */
export interface PageContext {
  services: Services;
  /** The password grant's login limiter: the sign-in page counts failures with it. */
  limiter: LoginLimiter;
  security: PageSecurity;
}
