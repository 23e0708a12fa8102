/**
 * Schema migrations, applied in order on start. Never edit a released migration; add a new one.
 * Times are Unix seconds. Token rows keep only hashes of the secret parts (the access token's
 * `jti` and the refresh token value), never the tokens themselves.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE users (
    uid INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    mail TEXT UNIQUE COLLATE NOCASE,
    pass TEXT NOT NULL,
    status INTEGER NOT NULL DEFAULT 1 CHECK (status IN (0, 1)),
    roles TEXT NOT NULL DEFAULT '[]',
    created INTEGER NOT NULL,
    changed INTEGER NOT NULL
  );

  CREATE TABLE oauth_clients (
    client_id TEXT PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    secret_hash TEXT,
    confidential INTEGER NOT NULL DEFAULT 1 CHECK (confidential IN (0, 1)),
    grant_types TEXT NOT NULL,
    default_scopes TEXT NOT NULL DEFAULT '[]',
    default_user INTEGER REFERENCES users (uid) ON DELETE SET NULL,
    created INTEGER NOT NULL
  );

  CREATE TABLE oauth_scopes (
    name TEXT PRIMARY KEY,
    description TEXT NOT NULL,
    role TEXT NOT NULL,
    grant_types TEXT NOT NULL
  );

  CREATE TABLE oauth_tokens (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
    value_hash TEXT NOT NULL UNIQUE,
    family TEXT NOT NULL,
    client_id TEXT NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
    uid INTEGER REFERENCES users (uid) ON DELETE CASCADE,
    scopes TEXT NOT NULL,
    access_token_id INTEGER REFERENCES oauth_tokens (id) ON DELETE SET NULL,
    created INTEGER NOT NULL,
    expires INTEGER NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
    rotated INTEGER NOT NULL DEFAULT 0 CHECK (rotated IN (0, 1))
  );
  CREATE INDEX oauth_tokens_family ON oauth_tokens (family);
  CREATE INDEX oauth_tokens_uid ON oauth_tokens (uid);

  CREATE TABLE signing_keys (
    id INTEGER PRIMARY KEY,
    private_pem TEXT NOT NULL,
    public_pem TEXT NOT NULL,
    created INTEGER NOT NULL
  );

  CREATE TABLE articles (
    nid INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    vid INTEGER NOT NULL DEFAULT 1,
    title TEXT NOT NULL,
    body_value TEXT,
    body_format TEXT NOT NULL DEFAULT 'basic_html',
    body_summary TEXT NOT NULL DEFAULT '',
    status INTEGER NOT NULL DEFAULT 1 CHECK (status IN (0, 1)),
    promote INTEGER NOT NULL DEFAULT 1 CHECK (promote IN (0, 1)),
    sticky INTEGER NOT NULL DEFAULT 0 CHECK (sticky IN (0, 1)),
    uid INTEGER NOT NULL REFERENCES users (uid),
    created INTEGER NOT NULL,
    changed INTEGER NOT NULL
  );
  CREATE INDEX articles_created ON articles (created);
  `,
  // 2: authorization code flow (PKCE) and OpenID Connect.
  `
  ALTER TABLE oauth_clients ADD COLUMN redirect_uris TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE oauth_clients ADD COLUMN automatic_authorization INTEGER NOT NULL DEFAULT 0
    CHECK (automatic_authorization IN (0, 1));

  -- A scope may grant no role (openid); SQLite cannot relax NOT NULL in place.
  CREATE TABLE oauth_scopes_new (
    name TEXT PRIMARY KEY,
    description TEXT NOT NULL,
    role TEXT,
    grant_types TEXT NOT NULL
  );
  INSERT INTO oauth_scopes_new (name, description, role, grant_types)
    SELECT name, description, role, grant_types FROM oauth_scopes;
  DROP TABLE oauth_scopes;
  ALTER TABLE oauth_scopes_new RENAME TO oauth_scopes;
  INSERT OR IGNORE INTO oauth_scopes (name, description, role, grant_types)
    VALUES ('openid', 'Sign in with your account (OpenID Connect)', NULL,
            '["authorization_code","refresh_token"]');

  CREATE TABLE oauth_authorization_codes (
    id INTEGER PRIMARY KEY,
    code_hash TEXT NOT NULL UNIQUE,
    client_id TEXT NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
    uid INTEGER NOT NULL REFERENCES users (uid) ON DELETE CASCADE,
    redirect_uri TEXT NOT NULL,
    scopes TEXT NOT NULL,
    code_challenge TEXT NOT NULL,
    nonce TEXT,
    auth_time INTEGER NOT NULL,
    family TEXT NOT NULL,
    created INTEGER NOT NULL,
    expires INTEGER NOT NULL,
    used INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1))
  );
  CREATE INDEX oauth_authorization_codes_family ON oauth_authorization_codes (family);

  CREATE TABLE secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created INTEGER NOT NULL
  );
  `,
];
