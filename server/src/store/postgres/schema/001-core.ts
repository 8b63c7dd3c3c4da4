import { brandOwned } from './sql.js'

// 1: every table of the store. Times are epoch milliseconds (bigint), as in the Store contract; JSON
// documents (configs, contexts, contacts, routing) are jsonb. Every table is brand-owned and under
// row-level security (sql.ts): the serving role sees only the brand its transaction names. The
// tables a masking run walks (visitors, conversations, messages, notes, attachments) number their
// rows with `id`, indexed after the brand (brand_id, id): a run reads one brand's rows in id order
// from where it stopped, never stepping over other brands' rows.

const TABLES = [
  'brands', 'brand_origins', 'api_keys', 'agents', 'agent_status', 'visitors', 'conversations', 'participants',
  'messages', 'masking_runs', 'idempotency_keys', 'rule_stats', 'survey_versions', 'survey_responses',
  'routing_offers', 'canned_replies', 'conversation_notes', 'attachments',
]

export const CORE = `
  CREATE TABLE brands (
    brand_id text PRIMARY KEY,
    name text NOT NULL,
    site_key text NOT NULL UNIQUE,
    created_at bigint NOT NULL,
    widget_config jsonb,
    masking_config jsonb,
    rules_config jsonb,
    business_hours jsonb,
    surveys_config jsonb,
    routing_config jsonb
  );
  CREATE TABLE brand_origins (
    brand_id text NOT NULL REFERENCES brands (brand_id),
    origin text NOT NULL,
    PRIMARY KEY (brand_id, origin)
  );
  CREATE INDEX brand_origins_by_origin ON brand_origins (origin);
  CREATE TABLE api_keys (
    key_hash text PRIMARY KEY,
    brand_id text NOT NULL REFERENCES brands (brand_id),
    created_at bigint NOT NULL
  );
  CREATE INDEX api_keys_by_brand ON api_keys (brand_id);
  CREATE TABLE agents (
    brand_id text NOT NULL REFERENCES brands (brand_id),
    agent_id text NOT NULL,
    email text NOT NULL,
    name text NOT NULL,
    password_hash text NOT NULL,
    created_at bigint NOT NULL,
    capacity integer NOT NULL DEFAULT 3,
    skills jsonb NOT NULL DEFAULT '[]',
    settings jsonb,
    PRIMARY KEY (brand_id, agent_id),
    UNIQUE (brand_id, email)
  );
  CREATE TABLE agent_status (
    brand_id text NOT NULL,
    agent_id text NOT NULL,
    status text NOT NULL CHECK (status IN ('available', 'away')),
    auto boolean NOT NULL DEFAULT false,
    away_after_min integer NOT NULL DEFAULT 10,
    since bigint NOT NULL,
    PRIMARY KEY (brand_id, agent_id),
    FOREIGN KEY (brand_id, agent_id) REFERENCES agents (brand_id, agent_id)
  );
  CREATE TABLE visitors (
    id bigint GENERATED ALWAYS AS IDENTITY,
    brand_id text NOT NULL REFERENCES brands (brand_id),
    visitor_id text NOT NULL,
    created_at bigint NOT NULL,
    last_seen_at bigint NOT NULL,
    visit_count integer NOT NULL,
    context jsonb,
    UNIQUE (brand_id, id),
    PRIMARY KEY (brand_id, visitor_id)
  );
  CREATE TABLE conversations (
    id bigint GENERATED ALWAYS AS IDENTITY,
    brand_id text NOT NULL REFERENCES brands (brand_id),
    conv_id text NOT NULL,
    visitor_id text NOT NULL,
    status text NOT NULL CHECK (status IN ('open', 'closed')),
    created_at bigint NOT NULL,
    closed_at bigint,
    last_seq integer NOT NULL DEFAULT 0,
    context jsonb,
    assigned_agent text,
    assigned_at bigint,
    taken_at bigint,
    queued_at bigint,
    last_visitor_at bigint,
    origin text NOT NULL DEFAULT 'chat' CHECK (origin IN ('chat', 'offline')),
    contact jsonb,
    topic text,
    skill text,
    priority integer NOT NULL DEFAULT 1 CHECK (priority BETWEEN 0 AND 3),
    UNIQUE (brand_id, id),
    PRIMARY KEY (brand_id, conv_id)
  ) WITH (fillfactor = 80);
  CREATE INDEX conversations_by_visitor ON conversations (brand_id, visitor_id, created_at);
  CREATE INDEX conversations_by_created ON conversations (brand_id, created_at);
  CREATE INDEX conversations_waiting ON conversations (brand_id, created_at) WHERE status = 'open' AND assigned_agent IS NULL;
  CREATE INDEX conversations_waiting_priority ON conversations (brand_id, priority DESC, created_at) WHERE status = 'open' AND assigned_agent IS NULL;
  CREATE INDEX conversations_open_assigned ON conversations (brand_id, assigned_agent) WHERE status = 'open' AND assigned_agent IS NOT NULL;
  -- Every append updates last_seq and last_visitor_at: no index names them (as a key or in a
  -- predicate), and a fifth of each page is kept free, so that update stays on its page (HOT) and
  -- leaves the table's indexes alone. The idle sweep orders by an expression no index holds; it
  -- and the brands-with-open-chats lookup need only this brand's open chats.
  CREATE INDEX conversations_open_chats ON conversations (brand_id) WHERE status = 'open' AND origin = 'chat';
  CREATE INDEX conversations_taken ON conversations (brand_id, taken_at) WHERE origin = 'chat' AND taken_at IS NOT NULL;
  CREATE TABLE participants (
    brand_id text NOT NULL,
    conv_id text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('visitor', 'agent')),
    participant_id text NOT NULL,
    joined_at bigint NOT NULL,
    read_seq integer NOT NULL DEFAULT 0,
    PRIMARY KEY (brand_id, conv_id, kind, participant_id),
    FOREIGN KEY (brand_id, conv_id) REFERENCES conversations (brand_id, conv_id)
  );
  CREATE INDEX participants_by_participant ON participants (brand_id, kind, participant_id);
  -- One row per message; (brand, sender, client_msg_id) is unique, so a resent message is found, never
  -- stored twice, and seq is unique per conversation (no gaps: it is last_seq + 1 under the
  -- conversation row's lock). The search column is the message's words for transcript search.
  CREATE TABLE messages (
    id bigint GENERATED ALWAYS AS IDENTITY,
    brand_id text NOT NULL,
    conv_id text NOT NULL,
    seq integer NOT NULL,
    client_msg_id text NOT NULL,
    sender_kind text NOT NULL CHECK (sender_kind IN ('visitor', 'agent', 'system')),
    sender_id text NOT NULL,
    sender_name text,
    text text NOT NULL,
    at bigint NOT NULL,
    UNIQUE (brand_id, id),
    PRIMARY KEY (brand_id, conv_id, seq),
    UNIQUE (brand_id, sender_kind, sender_id, client_msg_id),
    FOREIGN KEY (brand_id, conv_id) REFERENCES conversations (brand_id, conv_id)
  );
  CREATE TABLE masking_runs (
    brand_id text NOT NULL REFERENCES brands (brand_id),
    run_id text NOT NULL,
    status text NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    started_at bigint NOT NULL,
    finished_at bigint,
    phase text NOT NULL CHECK (phase IN ('messages', 'conversations', 'visitors', 'notes', 'attachments', 'done')),
    position bigint NOT NULL DEFAULT 0,
    scanned integer NOT NULL DEFAULT 0,
    changed integer NOT NULL DEFAULT 0,
    contexts_scanned integer NOT NULL DEFAULT 0,
    contexts_changed integer NOT NULL DEFAULT 0,
    notes_scanned integer NOT NULL DEFAULT 0,
    notes_changed integer NOT NULL DEFAULT 0,
    files_scanned integer NOT NULL DEFAULT 0,
    files_changed integer NOT NULL DEFAULT 0,
    PRIMARY KEY (brand_id, run_id)
  );
  CREATE TABLE idempotency_keys (
    brand_id text NOT NULL,
    caller text NOT NULL,
    key_hash text NOT NULL,
    fingerprint text NOT NULL,
    status integer,
    body text,
    created_at bigint NOT NULL,
    PRIMARY KEY (brand_id, caller, key_hash)
  );
  CREATE INDEX idempotency_keys_by_created ON idempotency_keys (created_at);
  CREATE TABLE rule_stats (
    brand_id text NOT NULL,
    rule_id text NOT NULL,
    arm text NOT NULL CHECK (arm IN ('treatment', 'control')),
    day text NOT NULL,
    impressions integer NOT NULL DEFAULT 0,
    clicks integer NOT NULL DEFAULT 0,
    dismissals integer NOT NULL DEFAULT 0,
    chats integer NOT NULL DEFAULT 0,
    PRIMARY KEY (brand_id, rule_id, arm, day)
  );
  CREATE TABLE survey_versions (
    brand_id text NOT NULL,
    survey_id text NOT NULL,
    version integer NOT NULL,
    kind text NOT NULL CHECK (kind IN ('pre', 'post', 'offline')),
    definition jsonb NOT NULL,
    created_at bigint NOT NULL,
    PRIMARY KEY (brand_id, survey_id, version)
  );
  CREATE TABLE survey_responses (
    brand_id text NOT NULL,
    conv_id text NOT NULL,
    survey_id text NOT NULL,
    version integer NOT NULL,
    kind text NOT NULL CHECK (kind IN ('pre', 'post', 'offline')),
    client_msg_id text NOT NULL,
    language text,
    answers jsonb NOT NULL,
    consents jsonb,
    labels jsonb,
    csat integer CHECK (csat BETWEEN 1 AND 5),
    nps integer CHECK (nps BETWEEN 0 AND 10),
    at bigint NOT NULL,
    PRIMARY KEY (brand_id, conv_id, survey_id)
  );
  CREATE INDEX survey_responses_by_at ON survey_responses (brand_id, at);
  CREATE TABLE routing_offers (
    brand_id text NOT NULL,
    conv_id text NOT NULL,
    agent_id text NOT NULL,
    offered_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    outcome text CHECK (outcome IN ('accepted', 'declined', 'timeout', 'taken', 'closed', 'withdrawn')),
    ended_at bigint,
    PRIMARY KEY (brand_id, conv_id, offered_at, agent_id)
  );
  CREATE UNIQUE INDEX routing_offers_pending ON routing_offers (brand_id, conv_id) WHERE outcome IS NULL;
  CREATE INDEX routing_offers_missed ON routing_offers (brand_id, ended_at) WHERE outcome = 'timeout';
  CREATE INDEX routing_offers_ended ON routing_offers (ended_at) WHERE outcome IS NOT NULL;
  CREATE TABLE canned_replies (
    brand_id text NOT NULL,
    reply_id text NOT NULL,
    owner_agent_id text,
    shortcut text NOT NULL,
    title text NOT NULL,
    text text NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    PRIMARY KEY (brand_id, reply_id)
  );
  CREATE UNIQUE INDEX canned_replies_shortcut ON canned_replies (brand_id, coalesce(owner_agent_id, ''), shortcut);
  CREATE TABLE conversation_notes (
    id bigint GENERATED ALWAYS AS IDENTITY,
    brand_id text NOT NULL,
    conv_id text NOT NULL,
    note_id text NOT NULL,
    client_note_id text NOT NULL,
    author_id text NOT NULL,
    author_name text,
    text text NOT NULL,
    transfer boolean NOT NULL DEFAULT false,
    at bigint NOT NULL,
    UNIQUE (brand_id, id),
    PRIMARY KEY (brand_id, conv_id, at, note_id),
    UNIQUE (brand_id, author_id, client_note_id)
  );
  CREATE TABLE attachments (
    id bigint GENERATED ALWAYS AS IDENTITY,
    brand_id text NOT NULL,
    attachment_id text NOT NULL,
    uploader text NOT NULL,
    name text NOT NULL,
    type text NOT NULL,
    size bigint NOT NULL,
    width integer,
    height integer,
    blob_key text NOT NULL,
    thumb_key text,
    created_at bigint NOT NULL,
    conv_id text,
    seq integer,
    position integer,
    UNIQUE (brand_id, id),
    PRIMARY KEY (brand_id, attachment_id)
  );
  CREATE INDEX attachments_unsent ON attachments (created_at) WHERE conv_id IS NULL;
  CREATE INDEX attachments_by_message ON attachments (brand_id, conv_id, seq) WHERE conv_id IS NOT NULL;
  ${TABLES.map(brandOwned).join('')}
`
