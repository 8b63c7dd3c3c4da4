import type Database from 'better-sqlite3'

// Versioned schema, applied in order inside one transaction each; `PRAGMA user_version` records the
// last applied. A shipped migration is never edited: add a new one.

/** The migrations, oldest first. Index + 1 is the schema version. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE brands (
    brand_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    site_key TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE brand_origins (
    brand_id TEXT NOT NULL REFERENCES brands(brand_id),
    origin TEXT NOT NULL,
    PRIMARY KEY (brand_id, origin)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX brand_origins_by_origin ON brand_origins(origin);
  CREATE TABLE api_keys (
    key_hash TEXT PRIMARY KEY,
    brand_id TEXT NOT NULL REFERENCES brands(brand_id),
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE agents (
    brand_id TEXT NOT NULL REFERENCES brands(brand_id),
    agent_id TEXT NOT NULL,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (brand_id, agent_id),
    UNIQUE (brand_id, email)
  ) STRICT;
  CREATE TABLE visitors (
    brand_id TEXT NOT NULL REFERENCES brands(brand_id),
    visitor_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    visit_count INTEGER NOT NULL,
    context TEXT,
    PRIMARY KEY (brand_id, visitor_id)
  ) STRICT;
  CREATE TABLE conversations (
    brand_id TEXT NOT NULL REFERENCES brands(brand_id),
    conv_id TEXT NOT NULL,
    visitor_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    created_at INTEGER NOT NULL,
    closed_at INTEGER,
    last_seq INTEGER NOT NULL,
    context TEXT,
    PRIMARY KEY (brand_id, conv_id)
  ) STRICT;
  CREATE INDEX conversations_by_visitor ON conversations(brand_id, visitor_id, created_at);
  CREATE INDEX conversations_by_created ON conversations(brand_id, created_at);
  CREATE TABLE participants (
    brand_id TEXT NOT NULL,
    conv_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('visitor', 'agent')),
    participant_id TEXT NOT NULL,
    joined_at INTEGER NOT NULL,
    read_seq INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (brand_id, conv_id, kind, participant_id),
    FOREIGN KEY (brand_id, conv_id) REFERENCES conversations(brand_id, conv_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX participants_by_participant ON participants(brand_id, kind, participant_id);
  CREATE TABLE messages (
    brand_id TEXT NOT NULL,
    conv_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    client_msg_id TEXT NOT NULL,
    sender_kind TEXT NOT NULL,
    sender_id TEXT NOT NULL,
    sender_name TEXT,
    text TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (brand_id, conv_id, seq),
    FOREIGN KEY (brand_id, conv_id) REFERENCES conversations(brand_id, conv_id)
  ) STRICT, WITHOUT ROWID;
  CREATE UNIQUE INDEX messages_by_client_id ON messages(brand_id, sender_kind, sender_id, client_msg_id);
  `,
]

/** Brings the database to the newest schema version; returns the versions applied. */
export function migrate(db: Database.Database): number[] {
  const applied: number[] = []
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > MIGRATIONS.length) {
    throw new Error(`database schema version ${current} is newer than this relay (${MIGRATIONS.length})`)
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!)
      db.pragma(`user_version = ${v + 1}`)
    }).immediate()
    applied.push(v + 1)
  }
  return applied
}
