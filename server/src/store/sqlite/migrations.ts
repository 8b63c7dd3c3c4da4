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
    id INTEGER PRIMARY KEY,
    brand_id TEXT NOT NULL REFERENCES brands(brand_id),
    conv_id TEXT NOT NULL,
    visitor_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    created_at INTEGER NOT NULL,
    closed_at INTEGER,
    last_seq INTEGER NOT NULL,
    context TEXT,
    UNIQUE (brand_id, conv_id)
  ) STRICT;
  CREATE INDEX conversations_by_visitor ON conversations(brand_id, visitor_id, created_at);
  CREATE INDEX conversations_by_created ON conversations(brand_id, created_at);

  -- Everyone who writes in a conversation, under a small integer: message indexes stay compact,
  -- so a group commit dirties (and fsyncs) fewer pages.
  CREATE TABLE senders (
    id INTEGER PRIMARY KEY,
    brand_id TEXT NOT NULL REFERENCES brands(brand_id),
    kind TEXT NOT NULL CHECK (kind IN ('visitor', 'agent')),
    ext_id TEXT NOT NULL,
    UNIQUE (brand_id, kind, ext_id)
  ) STRICT;
  CREATE TABLE participants (
    conv INTEGER NOT NULL REFERENCES conversations(id),
    sender INTEGER NOT NULL REFERENCES senders(id),
    joined_at INTEGER NOT NULL,
    read_seq INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (conv, sender)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX participants_by_sender ON participants(sender);

  -- Append-only: a commit writes rows at the end of this table and touches no index. The lookups by
  -- (conv, seq) and (sender, client_msg_id) are index tables the store fills in batches (its "fold");
  -- store_state.folded_through says how far, and the rows beyond it are indexed in memory.
  CREATE TABLE message_log (
    id INTEGER PRIMARY KEY,
    conv INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    sender INTEGER NOT NULL,
    client_msg_id TEXT NOT NULL,
    sender_name TEXT,
    text TEXT NOT NULL,
    at INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE message_by_seq (
    conv INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    id INTEGER NOT NULL,
    PRIMARY KEY (conv, seq)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE message_by_client_id (
    sender INTEGER NOT NULL,
    client_msg_id TEXT NOT NULL,
    id INTEGER NOT NULL,
    PRIMARY KEY (sender, client_msg_id)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE store_state (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  ) STRICT;

  -- The transcript as people read it: one row per message with brand, conversation and sender ids.
  CREATE VIEW messages AS
    SELECT c.brand_id, c.conv_id, m.seq, m.client_msg_id, s.kind AS sender_kind, s.ext_id AS sender_id,
           m.sender_name, m.text, m.at
    FROM message_log m
    JOIN conversations c ON c.id = m.conv
    JOIN senders s ON s.id = m.sender;
  `,
  // 2: the queue (who a conversation is assigned to), the brand's public widget settings, and
  // transcript search. Search is filled when a conversation closes, never on the message path.
  `
  ALTER TABLE conversations ADD COLUMN assigned_agent TEXT;
  ALTER TABLE conversations ADD COLUMN assigned_at INTEGER;
  CREATE INDEX conversations_waiting ON conversations(brand_id, created_at) WHERE status = 'open' AND assigned_agent IS NULL;
  ALTER TABLE brands ADD COLUMN widget_config TEXT;
  CREATE VIRTUAL TABLE transcript_search USING fts5(text, conv UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');
  INSERT INTO transcript_search (text, conv)
    SELECT m.text, m.conv FROM message_log m JOIN conversations c ON c.id = m.conv WHERE c.status = 'closed';
  `,
  // 3: the brand's masking configuration (a MaskingConfig document; NULL: the defaults).
  `
  ALTER TABLE brands ADD COLUMN masking_config TEXT;
  `,
  // 4: transcript_search rows take their message's message_log id as rowid, so that a message
  // masked after it was indexed (redactMessages) can be found in the index and rewritten.
  `
  DELETE FROM transcript_search;
  INSERT INTO transcript_search (rowid, text, conv)
    SELECT m.id, m.text, m.conv FROM message_log m JOIN conversations c ON c.id = m.conv WHERE c.status = 'closed';
  `,
  // 5: masking runs over existing data (parley mask-existing, POST /v1/masking/runs): each run's
  // progress, committed with the rows it rewrote, so a killed run resumes where it stopped with exact
  // counts. The search index drops a rewritten row's old terms at once ('secure-delete') instead of
  // keeping them under a delete marker until a merge.
  `
  CREATE TABLE masking_runs (
    brand_id TEXT NOT NULL REFERENCES brands(brand_id),
    run_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    phase TEXT NOT NULL CHECK (phase IN ('messages', 'conversations', 'visitors', 'done')),
    position INTEGER NOT NULL DEFAULT 0,
    scanned INTEGER NOT NULL DEFAULT 0,
    changed INTEGER NOT NULL DEFAULT 0,
    contexts_scanned INTEGER NOT NULL DEFAULT 0,
    contexts_changed INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (brand_id, run_id)
  ) STRICT;
  INSERT INTO transcript_search (transcript_search, rank) VALUES ('secure-delete', 1);
  `,
  // 6: Idempotency-Key records of REST POSTs, per brand and caller, kept 24 h (the relay sweeps
  // them). The key itself is stored as its sha-256; status NULL: the request is still running.
  `
  CREATE TABLE idempotency_keys (
    brand_id TEXT NOT NULL,
    caller TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER,
    body TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (brand_id, caller, key_hash)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX idempotency_keys_by_created ON idempotency_keys(created_at);
  `,
  // 7: deployment rules and business hours (JSON documents per brand, like masking_config), and where
  // a conversation came from: the live chat, or the offline form with the contact it left.
  `
  ALTER TABLE brands ADD COLUMN rules_config TEXT;
  ALTER TABLE brands ADD COLUMN business_hours TEXT;
  ALTER TABLE conversations ADD COLUMN origin TEXT NOT NULL DEFAULT 'chat' CHECK (origin IN ('chat', 'offline'));
  ALTER TABLE conversations ADD COLUMN contact TEXT;
  `,
  // 8: agents' availability: the status each chose (or the console's idle timer set), and capacity.
  // No row: the agent never chose one (available while connected, as before statuses existed). The
  // index counts each agent's active chats for the public availability without scanning closed ones.
  `
  ALTER TABLE agents ADD COLUMN capacity INTEGER NOT NULL DEFAULT 3;
  CREATE TABLE agent_status (
    brand_id TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('available', 'away')),
    auto INTEGER NOT NULL DEFAULT 0,
    away_after_min INTEGER NOT NULL DEFAULT 10,
    since INTEGER NOT NULL,
    PRIMARY KEY (brand_id, agent_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX conversations_open_assigned ON conversations(brand_id, assigned_agent) WHERE status = 'open' AND assigned_agent IS NOT NULL;
  `,
  // 9: what deployment rules showed, as anonymous counts per rule, rollout arm and UTC day. No
  // visitor id, no address: a row is four counters.
  `
  CREATE TABLE rule_stats (
    brand_id TEXT NOT NULL,
    rule_id TEXT NOT NULL,
    arm TEXT NOT NULL CHECK (arm IN ('treatment', 'control')),
    day TEXT NOT NULL,
    impressions INTEGER NOT NULL DEFAULT 0,
    clicks INTEGER NOT NULL DEFAULT 0,
    dismissals INTEGER NOT NULL DEFAULT 0,
    chats INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (brand_id, rule_id, arm, day)
  ) STRICT, WITHOUT ROWID;
  `,
  // 10: surveys. The brand's surveys document (like rules_config), every version of every survey
  // ever saved (answers name the version they answered, so old answers read as they were asked),
  // the answers themselves (one per survey per conversation; csat and nps copied out for reports),
  // and the routing pre-chat answers give a conversation. The waiting index serves the queue in
  // priority order (0 low … 3 urgent, 1 normal).
  `
  ALTER TABLE brands ADD COLUMN surveys_config TEXT;
  CREATE TABLE survey_versions (
    brand_id TEXT NOT NULL,
    survey_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('pre', 'post', 'offline')),
    definition TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (brand_id, survey_id, version)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE survey_responses (
    brand_id TEXT NOT NULL,
    conv_id TEXT NOT NULL,
    survey_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('pre', 'post', 'offline')),
    client_msg_id TEXT NOT NULL,
    language TEXT,
    answers TEXT NOT NULL,
    consents TEXT,
    labels TEXT,
    csat INTEGER CHECK (csat BETWEEN 1 AND 5),
    nps INTEGER CHECK (nps BETWEEN 0 AND 10),
    at INTEGER NOT NULL,
    PRIMARY KEY (brand_id, conv_id, survey_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX survey_responses_by_at ON survey_responses(brand_id, at);
  ALTER TABLE conversations ADD COLUMN topic TEXT;
  ALTER TABLE conversations ADD COLUMN skill TEXT;
  ALTER TABLE conversations ADD COLUMN priority INTEGER NOT NULL DEFAULT 1 CHECK (priority BETWEEN 0 AND 3);
  CREATE INDEX conversations_waiting_priority ON conversations(brand_id, priority DESC, created_at) WHERE status = 'open' AND assigned_agent IS NULL;
  `,
  // 11: the agent's day. Agents' skills (a JSON array) and notification settings; the brand's routing
  // settings; when a conversation last went back to a queue (null: its opening) and when its visitor last wrote
  // (for closing quiet chats); offers of waiting chats to agents (at most one pending per chat; the
  // timed-out ones are the missed offers); canned replies (owner NULL: brand-wide; a shortcut is
  // unique per owner); internal notes; uploaded files (bytes in the BlobStore, the record here; bound
  // to a message when sent) and the files each message carries.
  `
  ALTER TABLE agents ADD COLUMN skills TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE agents ADD COLUMN settings TEXT;
  ALTER TABLE brands ADD COLUMN routing_config TEXT;
  ALTER TABLE conversations ADD COLUMN queued_at INTEGER;
  ALTER TABLE conversations ADD COLUMN last_visitor_at INTEGER;
  CREATE INDEX conversations_open_chats ON conversations(brand_id, last_visitor_at) WHERE status = 'open' AND origin = 'chat';
  -- Emoji are words of the search index: symbols (So), their modifiers (Sk: skin tones), marks (Mn,
  -- Me: variation selectors, keycaps) and format characters (Cf: the zero-width joiner of a family)
  -- join letters and digits as token characters, so a ZWJ sequence or a toned emoji is one token.
  -- The index is rebuilt with the same rowids (message_log ids) and secure-delete.
  CREATE TEMP TABLE transcript_search_copy AS SELECT rowid AS id, text, conv FROM transcript_search;
  DROP TABLE transcript_search;
  CREATE VIRTUAL TABLE transcript_search USING fts5(text, conv UNINDEXED, tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co So Sk Mn Me Cf'");
  INSERT INTO transcript_search (rowid, text, conv) SELECT id, text, conv FROM transcript_search_copy;
  DROP TABLE transcript_search_copy;
  INSERT INTO transcript_search (transcript_search, rank) VALUES ('secure-delete', 1);
  CREATE TABLE routing_offers (
    brand_id TEXT NOT NULL,
    conv_id TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    offered_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    outcome TEXT CHECK (outcome IN ('accepted', 'declined', 'timeout', 'taken', 'closed', 'withdrawn')),
    ended_at INTEGER,
    PRIMARY KEY (brand_id, conv_id, offered_at, agent_id)
  ) STRICT, WITHOUT ROWID;
  CREATE UNIQUE INDEX routing_offers_pending ON routing_offers(brand_id, conv_id) WHERE outcome IS NULL;
  CREATE INDEX routing_offers_missed ON routing_offers(brand_id, ended_at) WHERE outcome = 'timeout';
  CREATE TABLE canned_replies (
    brand_id TEXT NOT NULL,
    reply_id TEXT NOT NULL,
    owner_agent_id TEXT,
    shortcut TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (brand_id, reply_id)
  ) STRICT, WITHOUT ROWID;
  CREATE UNIQUE INDEX canned_replies_shortcut ON canned_replies(brand_id, coalesce(owner_agent_id, ''), shortcut);
  CREATE TABLE conversation_notes (
    brand_id TEXT NOT NULL,
    conv_id TEXT NOT NULL,
    note_id TEXT NOT NULL,
    client_note_id TEXT NOT NULL,
    author_id TEXT NOT NULL,
    author_name TEXT,
    text TEXT NOT NULL,
    transfer INTEGER NOT NULL DEFAULT 0,
    at INTEGER NOT NULL,
    PRIMARY KEY (brand_id, conv_id, at, note_id),
    UNIQUE (brand_id, author_id, client_note_id)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE attachments (
    brand_id TEXT NOT NULL,
    attachment_id TEXT NOT NULL,
    uploader TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    size INTEGER NOT NULL,
    width INTEGER,
    height INTEGER,
    blob_key TEXT NOT NULL,
    thumb_key TEXT,
    created_at INTEGER NOT NULL,
    conv_id TEXT,
    seq INTEGER,
    -- Its place among the message's attachments (the order message.send listed them).
    position INTEGER,
    PRIMARY KEY (brand_id, attachment_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX attachments_unsent ON attachments(created_at) WHERE conv_id IS NULL;
  CREATE INDEX attachments_by_message ON attachments(brand_id, conv_id, seq) WHERE conv_id IS NOT NULL;
  `,
  // 12: masking runs rewrite internal notes and attachment names too: each table gets an integer key
  // a run can keep its place by (its position), and masking_runs accepts the two phases.
  `
  CREATE TABLE conversation_notes_keyed (
    id INTEGER PRIMARY KEY,
    brand_id TEXT NOT NULL,
    conv_id TEXT NOT NULL,
    note_id TEXT NOT NULL,
    client_note_id TEXT NOT NULL,
    author_id TEXT NOT NULL,
    author_name TEXT,
    text TEXT NOT NULL,
    transfer INTEGER NOT NULL DEFAULT 0,
    at INTEGER NOT NULL,
    UNIQUE (brand_id, conv_id, at, note_id),
    UNIQUE (brand_id, author_id, client_note_id)
  ) STRICT;
  INSERT INTO conversation_notes_keyed (brand_id, conv_id, note_id, client_note_id, author_id, author_name, text, transfer, at)
    SELECT brand_id, conv_id, note_id, client_note_id, author_id, author_name, text, transfer, at FROM conversation_notes
    ORDER BY at, note_id;
  DROP TABLE conversation_notes;
  ALTER TABLE conversation_notes_keyed RENAME TO conversation_notes;
  CREATE TABLE attachments_keyed (
    id INTEGER PRIMARY KEY,
    brand_id TEXT NOT NULL,
    attachment_id TEXT NOT NULL,
    uploader TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    size INTEGER NOT NULL,
    width INTEGER,
    height INTEGER,
    blob_key TEXT NOT NULL,
    thumb_key TEXT,
    created_at INTEGER NOT NULL,
    conv_id TEXT,
    seq INTEGER,
    -- Its place among the message's attachments (the order message.send listed them).
    position INTEGER,
    UNIQUE (brand_id, attachment_id)
  ) STRICT;
  INSERT INTO attachments_keyed (brand_id, attachment_id, uploader, name, type, size, width, height, blob_key, thumb_key, created_at, conv_id, seq, position)
    SELECT brand_id, attachment_id, uploader, name, type, size, width, height, blob_key, thumb_key, created_at, conv_id, seq, position FROM attachments
    ORDER BY created_at, attachment_id;
  DROP TABLE attachments;
  ALTER TABLE attachments_keyed RENAME TO attachments;
  CREATE INDEX attachments_unsent ON attachments(created_at) WHERE conv_id IS NULL;
  CREATE INDEX attachments_by_message ON attachments(brand_id, conv_id, seq) WHERE conv_id IS NOT NULL;
  CREATE TABLE masking_runs_phased (
    brand_id TEXT NOT NULL REFERENCES brands(brand_id),
    run_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    phase TEXT NOT NULL CHECK (phase IN ('messages', 'conversations', 'visitors', 'notes', 'attachments', 'done')),
    position INTEGER NOT NULL DEFAULT 0,
    scanned INTEGER NOT NULL DEFAULT 0,
    changed INTEGER NOT NULL DEFAULT 0,
    contexts_scanned INTEGER NOT NULL DEFAULT 0,
    contexts_changed INTEGER NOT NULL DEFAULT 0,
    notes_scanned INTEGER NOT NULL DEFAULT 0,
    notes_changed INTEGER NOT NULL DEFAULT 0,
    files_scanned INTEGER NOT NULL DEFAULT 0,
    files_changed INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (brand_id, run_id)
  ) STRICT;
  INSERT INTO masking_runs_phased (brand_id, run_id, status, started_at, finished_at, phase, position, scanned, changed, contexts_scanned, contexts_changed)
    SELECT brand_id, run_id, status, started_at, finished_at, phase, position, scanned, changed, contexts_scanned, contexts_changed FROM masking_runs;
  DROP TABLE masking_runs;
  ALTER TABLE masking_runs_phased RENAME TO masking_runs;
  `,
  // 13: the chats an agent holds, in the order they went quiet (the later of the visitor's last
  // message, or the opening, and the agent taking it): the inactivity sweep walks this index. And
  // when a chat was last taken from a queue (recent waits), and ended offers by age (pruned).
  `
  CREATE INDEX conversations_held_quiet ON conversations(brand_id, max(coalesce(last_visitor_at, created_at), coalesce(assigned_at, 0)), id)
    WHERE status = 'open' AND origin = 'chat' AND assigned_agent IS NOT NULL;
  -- When an agent last took the chat from a queue (accepted it, or an offer of it), for wait
  -- estimates; a hand-over keeps it, going back to a queue clears it. Older rows start from their
  -- last assignment: close enough for estimates over the last half hour.
  ALTER TABLE conversations ADD COLUMN taken_at INTEGER;
  UPDATE conversations SET taken_at = assigned_at WHERE assigned_agent IS NOT NULL;
  CREATE INDEX conversations_taken ON conversations(brand_id, taken_at) WHERE origin = 'chat' AND taken_at IS NOT NULL;
  -- Ended offers, oldest first, for the sweep that deletes them after a while.
  CREATE INDEX routing_offers_ended ON routing_offers(ended_at) WHERE outcome IS NOT NULL;
  `,
  // 14: access (issue 18). Agent accounts get a role and can be deactivated; accounts from before
  // roles existed become supervisors: what they could see before, and no more (they could not manage
  // keys, accounts or configuration). The bootstrap key, or `parley agent role`, names the admins. A brand has several API keys, each with an id, a name and
  // scopes; the one key a brand had is its bootstrap key with every scope. Agent sign-ins are stored
  // sessions that can be revoked.
  `
  ALTER TABLE agents ADD COLUMN role TEXT NOT NULL DEFAULT 'agent' CHECK (role IN ('agent', 'supervisor', 'admin'));
  UPDATE agents SET role = 'supervisor';
  ALTER TABLE agents ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
  CREATE TABLE api_keys_scoped (
    key_hash TEXT PRIMARY KEY,
    brand_id TEXT NOT NULL REFERENCES brands(brand_id),
    key_id TEXT NOT NULL,
    name TEXT NOT NULL,
    -- A JSON array of scopes.
    scopes TEXT NOT NULL,
    prefix TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    expires_at INTEGER,
    revoked_at INTEGER,
    created_by TEXT NOT NULL,
    -- The key that replaced it by rotation: a rotated key is not rotated again.
    replaced_by TEXT,
    UNIQUE (brand_id, key_id)
  ) STRICT;
  -- Every scope there is now, written out: a scope added later is not granted by editing this.
  INSERT INTO api_keys_scoped (key_hash, brand_id, key_id, name, scopes, prefix, created_at, created_by)
    SELECT key_hash, brand_id, 'k_' || substr(key_hash, 1, 22), 'bootstrap',
      '["config:read","config:write","transcripts:read","reports:read","agents:write","keys:write","audit:read","data:export","data:erase","webhooks:write"]',
      'sk_', created_at, 'cli'
    FROM api_keys;
  DROP TABLE api_keys;
  ALTER TABLE api_keys_scoped RENAME TO api_keys;
  CREATE INDEX api_keys_by_created ON api_keys(brand_id, created_at);
  CREATE TABLE agent_sessions (
    brand_id TEXT NOT NULL REFERENCES brands(brand_id),
    session_id TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER,
    address TEXT,
    user_agent TEXT,
    PRIMARY KEY (brand_id, session_id)
  ) STRICT;
  CREATE INDEX agent_sessions_by_agent ON agent_sessions(brand_id, agent_id, created_at);
  CREATE INDEX agent_sessions_by_created ON agent_sessions(brand_id, created_at);
  `,
  // 15: access (issue 18), continued. The audit log: append-only per brand (a trigger refuses every
  // UPDATE; only the retention purge deletes), numbered per brand, indexed for its filters. The brand's
  // security settings (a document like masking_config). HS256 secrets brands sign identity tokens
  // with, the customers they verified (each stood for by one visitor), and token ids refused until
  // a time (a visitor who logged out; replayed identity tokens).
  `
  CREATE TABLE audit_log (
    brand_id TEXT NOT NULL REFERENCES brands(brand_id),
    entry_no INTEGER NOT NULL,
    at INTEGER NOT NULL,
    actor_kind TEXT NOT NULL CHECK (actor_kind IN ('agent', 'key', 'visitor', 'system', 'anonymous')),
    actor_id TEXT,
    action TEXT NOT NULL,
    resource_type TEXT,
    resource_id TEXT,
    outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
    code TEXT,
    address TEXT,
    -- A JSON object of ids, counts and field names.
    detail TEXT NOT NULL,
    PRIMARY KEY (brand_id, entry_no)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX audit_log_by_actor ON audit_log(brand_id, actor_kind, actor_id, entry_no);
  CREATE INDEX audit_log_by_action ON audit_log(brand_id, action, entry_no);
  CREATE INDEX audit_log_by_at ON audit_log(brand_id, at);
  CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  -- The brand's last entry number: numbers keep increasing after a purge emptied the log.
  ALTER TABLE brands ADD COLUMN audit_last INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE brands ADD COLUMN security_config TEXT;
  CREATE TABLE identity_secrets (
    brand_id TEXT NOT NULL REFERENCES brands(brand_id),
    secret_id TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (brand_id, secret_id)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE customers (
    brand_id TEXT NOT NULL REFERENCES brands(brand_id),
    customer_id TEXT NOT NULL,
    visitor_id TEXT NOT NULL,
    name TEXT,
    email TEXT,
    verified_at INTEGER NOT NULL,
    PRIMARY KEY (brand_id, customer_id),
    UNIQUE (brand_id, visitor_id)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE revoked_token_ids (
    brand_id TEXT NOT NULL,
    id TEXT NOT NULL,
    until INTEGER NOT NULL,
    PRIMARY KEY (brand_id, id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX revoked_token_ids_by_until ON revoked_token_ids(until);
  -- The identity tokens each visit verified with, refused together when the visit ends.
  CREATE TABLE visit_identity_tokens (
    brand_id TEXT NOT NULL,
    sid TEXT NOT NULL,
    digest TEXT NOT NULL,
    until INTEGER NOT NULL,
    PRIMARY KEY (brand_id, sid, digest)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX visit_identity_tokens_by_until ON visit_identity_tokens(until);
  `,
  // 16: a visitor's data rights (issue 19). A conversation whose content was erased keeps its header
  // as a stub (erased_at); a legal hold exempts one from retention and erasure. Visitors carry their
  // consent to behavioural tracking, and every change of it is kept (consent_events) until the
  // visitor is erased. The e-mail a conversation's contact gave is indexed (lower case) so that an
  // export or erasure can find a visitor by it. Erasure requests wait out their grace period here;
  // the brand's retention settings are a document like the others. An erased stub keeps when an
  // agent first wrote in it (first_agent_at; null on every other row), so reports still add up.
  // free_page_scrub never holds a row between transactions: an erasure fills the freelist with its
  // zeros and deletes them, overwriting pages the store freed earlier without zeroing (secure-delete.ts).
  `
  ALTER TABLE conversations ADD COLUMN erased_at INTEGER;
  ALTER TABLE conversations ADD COLUMN legal_hold TEXT;
  ALTER TABLE conversations ADD COLUMN first_agent_at INTEGER;
  CREATE TABLE free_page_scrub (zeros BLOB NOT NULL) STRICT;
  ALTER TABLE conversations ADD COLUMN contact_email TEXT GENERATED ALWAYS AS (lower(json_extract(contact, '$.email'))) VIRTUAL;
  CREATE INDEX conversations_by_contact_email ON conversations(brand_id, contact_email) WHERE contact_email IS NOT NULL;
  CREATE INDEX conversations_expiring ON conversations(brand_id, closed_at) WHERE status = 'closed' AND erased_at IS NULL;
  CREATE INDEX conversations_offline_expiring ON conversations(brand_id, created_at) WHERE origin = 'offline' AND erased_at IS NULL;
  CREATE INDEX customers_by_email ON customers(brand_id, lower(email)) WHERE email IS NOT NULL;
  ALTER TABLE visitors ADD COLUMN consent TEXT CHECK (consent IN ('granted', 'denied'));
  CREATE TABLE consent_events (
    brand_id TEXT NOT NULL,
    visitor_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('granted', 'denied')),
    source TEXT NOT NULL CHECK (source IN ('widget', 'api'))
  ) STRICT;
  CREATE INDEX consent_events_by_visitor ON consent_events(brand_id, visitor_id, at);
  ALTER TABLE brands ADD COLUMN privacy_config TEXT;
  CREATE TABLE erasure_requests (
    brand_id TEXT NOT NULL REFERENCES brands(brand_id),
    request_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled', 'done')),
    selector_kind TEXT NOT NULL CHECK (selector_kind IN ('visitorId', 'customerId', 'email')),
    selector TEXT,
    requested_at INTEGER NOT NULL,
    requested_by TEXT NOT NULL,
    run_at INTEGER NOT NULL,
    cancelled_at INTEGER,
    receipt TEXT,
    -- Until when a node's sweep holds the due request (claimDueErasureRequests); it runs out on its own if the node dies.
    lease_until INTEGER,
    PRIMARY KEY (brand_id, request_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX erasure_requests_due ON erasure_requests(run_at) WHERE status = 'scheduled';
  CREATE INDEX erasure_requests_by_requested ON erasure_requests(brand_id, requested_at);
  `,
  // 17: signed webhooks (issue 19). A brand's endpoints keep their secrets as given (the relay signs
  // with them, so they cannot be hashed), the current one first and a rotated-out one with its
  // expiry, as JSON. The deliveries table is the outbox and the delivery log at once: a row per
  // event per endpoint, with its body, its attempts and when the next is due; lease_until keeps two
  // nodes (or two workers) from sending it at once, and runs out on its own if a node dies.
  // seq orders an endpoint's log and is its cursor; conv_id finds a conversation's deliveries when
  // it is erased (their bodies hold its masked text).
  `
  CREATE TABLE webhook_endpoints (
    brand_id TEXT NOT NULL REFERENCES brands(brand_id),
    endpoint_id TEXT NOT NULL,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    description TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    secrets TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (brand_id, endpoint_id)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE webhook_deliveries (
    seq INTEGER PRIMARY KEY,
    brand_id TEXT NOT NULL,
    delivery_id TEXT NOT NULL,
    endpoint_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    type TEXT NOT NULL,
    conv_id TEXT,
    payload TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    lease_until INTEGER,
    last_status INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    delivered_at INTEGER,
    UNIQUE (brand_id, delivery_id),
    FOREIGN KEY (brand_id, endpoint_id) REFERENCES webhook_endpoints(brand_id, endpoint_id) ON DELETE CASCADE
  ) STRICT;
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE status = 'pending';
  CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries(brand_id, endpoint_id, seq);
  CREATE INDEX webhook_deliveries_by_conv ON webhook_deliveries(brand_id, conv_id) WHERE conv_id IS NOT NULL;
  CREATE INDEX webhook_deliveries_finished ON webhook_deliveries(created_at) WHERE status <> 'pending';
  `,
  // 18: how much of each erasure ledger the database has had replayed (backup/ledger-replay-mark.ts),
  // so a relay start replays only newer entries, and a restored older database its own mark onwards.
  `
  CREATE TABLE ledger_marks (
    ledger_id TEXT PRIMARY KEY,
    bytes INTEGER NOT NULL,
    digest TEXT NOT NULL
  ) STRICT, WITHOUT ROWID;
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
