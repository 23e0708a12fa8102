/** Tokens the upstream issued, with absolute expiry times in epoch milliseconds. */
export interface UpstreamTokens {
  /** The bearer token for upstream API calls. */
  accessToken: string;
  /** When the access token expires, epoch milliseconds. */
  accessTokenExpiresAt: number;
  /** The token that gets new tokens; may be rotated on each refresh. */
  refreshToken: string;
  /** Null when the upstream does not say and no lifetime is configured. */
  refreshTokenExpiresAt: number | null;
}

/** Display fields of the signed-in person: all that may ever reach the browser. */
export interface UpstreamUser {
  /** The upstream's stable id for the person. */
  sub: string;
  /** Display name. */
  name: string;
  /** Login name. */
  username: string;
  /** Email address, or null when the upstream does not share it. */
  email: string | null;
  /** Role names, for display and UI decisions (the upstream enforces access). */
  roles: string[];
}

/**
 * What {@link UpstreamProvider.signIn} resolves to: the tokens, plus the person's display
 * fields when the token response already named them (an OpenID Connect `id_token`). Without
 * `user`, the sign-in asks {@link UpstreamProvider.fetchUser}. Only the four token fields are
 * ever stored in the session.
 */
export type SignInResult = UpstreamTokens & {
  /** The display fields, when the token response carried them. Default: absent (userinfo is asked). */
  user?: UpstreamUser;
};

/** What the sign-in form sends to {@link UpstreamProvider.signIn}. */
export interface Credentials {
  /** The user name as typed. */
  username: string;
  /** The password as typed; never stored or logged. */
  password: string;
  /**
   * The browser's address, sent as `X-Forwarded-For` so an upstream that trusts the BFF
   * (reference API: `TRUSTED_PROXIES`) counts failures per browser, not per BFF. Default: not sent.
   */
  clientAddress?: string;
}

/**
 * How to read an upstream answer to a call made with an access token:
 * - `accepted`: the token worked (whatever the status otherwise means);
 * - `token_invalid`: the token is no longer accepted: refresh once, then end the session;
 * - `forbidden`: the person lacks permission: keep the session.
 */
export type UpstreamVerdict = "accepted" | "token_invalid" | "forbidden";

/** What {@link UpstreamProvider.classify} sees of an upstream answer to a call with the access token. */
export interface UpstreamAnswerPeek {
  /** The HTTP status. */
  status: number;
  /** The response headers, lower-case names (`www-authenticate`, …). */
  headers: Record<string, string | string[] | undefined>;
  /**
   * The start of the body as text, at most 4 KiB, for error answers (status 400 and above);
   * `""` for the others, whose bodies go to the browser untouched and unread.
   */
  body: string;
}

/**
 * What an upstream token API must offer. Every method throws `BffError` with a stable code
 * (`invalid_credentials`, `too_many_attempts`, `upstream_unavailable`, `misconfigured`,
 * `session_expired`) and never returns partial data.
 */
export interface UpstreamProvider {
  /** Short name for logs, e.g. `drupal`. */
  readonly id: string;
  /**
   * Signs in with the password grant. Throws `invalid_credentials` or `too_many_attempts` when
   * refused. May add the `user` it already knows, which spares the sign-in a `fetchUser` call.
   */
  signIn(credentials: Credentials): Promise<SignInResult>;
  /** Throws `session_expired` when the upstream refuses the refresh token. */
  refresh(refreshToken: string): Promise<UpstreamTokens>;
  /**
   * Sign-out: revokes the refresh token (RFC 7009, `token_type_hint=refresh_token`), and with it
   * the access token where the upstream links them. The access token may have expired by then
   * (a sign-out after an idle period): an upstream whose logout needs a live bearer sets
   * {@link UpstreamProvider.refreshBeforeRevoke}. Best effort: a failure is logged, the session
   * is ended here all the same.
   */
  revoke(tokens: UpstreamTokens): Promise<void>;
  /**
   * The upstream's revocation (logout) needs a live access token: when it has expired, the
   * library refreshes first and revokes with the new tokens. Default: `false` (revocation is
   * authenticated by the client or by the refresh token itself).
   */
  readonly refreshBeforeRevoke?: boolean;
  /** Revokes every token of the person, on every device. Absent when the upstream cannot. */
  revokeAll?(tokens: UpstreamTokens): Promise<void>;
  /**
   * Reads the person's display fields with the access token (at sign-in, when `signIn` gave no
   * `user`). `hints.idToken` is the id_token of a code-flow sign-in, already verified. Throws
   * `account_disabled` when the upstream refuses the token it has just issued (a blocked account).
   */
  fetchUser(tokens: UpstreamTokens, hints?: { idToken?: string }): Promise<UpstreamUser>;
  /**
   * How to read an upstream answer to a call made with the access token: the status, the
   * headers and a bounded peek at an error answer's body. `classifyAnswer` (RFC 6750 §3.1) is
   * the default of the built-in providers.
   */
  classify(answer: UpstreamAnswerPeek): UpstreamVerdict;
}
