-- 0002: who may sign in, and the audit trail of every change [MISSION I].

-- One account per person who signs in. A learner's, manager's or trainer's
-- account is tied to their person; an organisation lead's to their
-- organisation. password_hash is libsodium's Argon2id string, or empty when
-- the account signs in only with API tokens.
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  person_id TEXT REFERENCES people (id),
  organisation_id TEXT REFERENCES organisations (id),
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL,
  changed_at TEXT NOT NULL,
  changed_by TEXT NOT NULL
);

-- Tokens for other systems. The secret is shown once; only its SHA-256 is
-- kept. A revoked token stays, so the audit trail can name it.
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  name TEXT NOT NULL,
  secret_sha256 TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  revoked_at TEXT
);

-- Browser sign-ins: the cookie holds a random secret, the table its SHA-256.
CREATE TABLE sign_ins (
  secret_sha256 TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sign_ins_by_user ON sign_ins (user_id);

-- Every change: who, when, what, before and after (JSON, empty when there was
-- none). Append-only and chained: each entry's hash covers its fields and the
-- hash before it, so a row edited, removed or inserted later breaks the chain
-- and `trellis audit verify` names it. seq is assigned by Trellis while it
-- holds the writers' turn, so it has no gaps.
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  before_json TEXT NOT NULL,
  after_json TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_by_entity ON audit_log (entity, entity_id);
