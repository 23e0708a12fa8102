import type { FastifyRequest } from "fastify";
import type { TokenResponse } from "../../auth/token-issuer.js";
import type { OAuthClient } from "../../db/clients.js";
import type { Services } from "../../services.js";
import type { FormParams } from "../form-body.js";
import type { LoginLimiter } from "../login-limiter.js";

/** Everything a grant needs: the request, its form parameters and the authenticated client. */
export interface GrantContext {
  request: FastifyRequest;
  params: FormParams;
  client: OAuthClient;
  /** The client id as the wire shows it (simple_oauth 5.x: the UUID): the tokens' `aud`. */
  audience: string;
  services: Services;
  limiter: LoginLimiter;
}

/** Issues tokens for one grant type or throws an `OAuthError`. */
export type Grant = (context: GrantContext) => Promise<TokenResponse>;
