/**
 * Numbered schema migrations. Each runs once, in order, in its own transaction; the database's
 * `user_version` records the last one applied. Never edit a released migration: add one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: users, locations, licenses, secrets (hashes only), recovery tokens, outbox, audit.
  `
  CREATE TABLE locations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL
  ) STRICT;

  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    phone_number TEXT,
    extension TEXT,
    email TEXT,
    location_id TEXT NOT NULL REFERENCES locations(id),
    intercepted INTEGER NOT NULL DEFAULT 0 CHECK (intercepted IN (0, 1))
  ) STRICT;
  CREATE INDEX users_by_location ON users(location_id, id);

  CREATE TABLE licenses (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    total INTEGER NOT NULL CHECK (total >= 0)
  ) STRICT;

  CREATE TABLE user_licenses (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    license_id TEXT NOT NULL REFERENCES licenses(id),
    PRIMARY KEY (user_id, license_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX user_licenses_by_license ON user_licenses(license_id);

  -- Every value a user's secret has had, newest last; only salted hashes are stored.
  CREATE TABLE secret_history (
    id INTEGER PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('applicationPassword', 'voicePortalPasscode')),
    hash TEXT NOT NULL,
    temporary INTEGER NOT NULL DEFAULT 0 CHECK (temporary IN (0, 1)),
    set_at TEXT NOT NULL,
    set_by TEXT NOT NULL
  ) STRICT;
  CREATE INDEX secret_history_by_user ON secret_history(user_id, kind, id);

  -- Recovery links: only the SHA-256 of the token is kept.
  CREATE TABLE recovery_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    voided_at TEXT,
    password_changed_at TEXT,
    passcode_generated_at TEXT
  ) STRICT;
  CREATE INDEX recovery_tokens_by_user ON recovery_tokens(user_id);

  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    to_address TEXT NOT NULL,
    from_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    headers TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    raw TEXT NOT NULL,
    delivery TEXT NOT NULL
  ) STRICT;

  CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    user_id TEXT NOT NULL,
    outcome TEXT NOT NULL
  ) STRICT;

  -- Completed requests by Idempotency-Key; the fingerprint is a salted hash of the body.
  CREATE TABLE idempotency (
    key TEXT PRIMARY KEY,
    route TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    response TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;
  `,
  // 2: users listed in natural order (11635-2 before 11635-10): a key per user, filled in
  // from each id by openDatabase (SQL cannot compute it).
  `
  ALTER TABLE users ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
  CREATE INDEX users_in_order ON users(sort_key);
  CREATE INDEX users_in_order_by_location ON users(location_id, sort_key);
  `,
  // 3: no live link kept at rest once it has ended. Each link knows the outbox copy it was sent
  // in; a copy that still holds a live link has its spent copy (the same email with the link
  // replaced by words) waiting beside it, which replaces it once the link is used, voided or
  // expired. Expiries are noted once, for the security log; links that had already expired
  // before this migration count as noted. Recovery emails stored before it wait in
  // outbox_older_copies until the next start gives each its spent copy.
  `
  ALTER TABLE recovery_tokens ADD COLUMN outbox_id INTEGER REFERENCES outbox(id);
  ALTER TABLE recovery_tokens ADD COLUMN expiry_noted_at TEXT;
  UPDATE recovery_tokens SET expiry_noted_at = expires_at
    WHERE expires_at <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now');
  CREATE INDEX recovery_tokens_by_outbox ON recovery_tokens(outbox_id);
  CREATE INDEX recovery_tokens_expiring ON recovery_tokens(expires_at)
    WHERE expiry_noted_at IS NULL AND voided_at IS NULL;

  CREATE TABLE outbox_spent_copies (
    outbox_id INTEGER PRIMARY KEY REFERENCES outbox(id) ON DELETE CASCADE,
    headers TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    raw TEXT NOT NULL
  ) STRICT;

  CREATE TABLE outbox_older_copies (
    outbox_id INTEGER PRIMARY KEY REFERENCES outbox(id) ON DELETE CASCADE
  ) STRICT;
  INSERT INTO outbox_older_copies (outbox_id)
    SELECT id FROM outbox WHERE kind = 'recovery-link' AND text_body LIKE '%/reset/%';
  `,
  // 4: each audit row names the admin token its request was verified with, beside the operator
  // the request claimed (actor). Rows of the end user's own changes, and rows written before
  // this migration, have none.
  `
  ALTER TABLE audit ADD COLUMN token_name TEXT;
  `,
];
