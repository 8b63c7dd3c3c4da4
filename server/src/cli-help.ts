import { SCOPES } from '@parley/sdk/contract'
import { DEFAULT_PG_POOL_SIZE, limitsHelp } from './config.js'
import { DEFAULT_HEAP_GROWTH_PERCENT } from './heap-growth.js'

// `parley --help`: every command, flag and environment variable, with the limits generated from
// their defaults so the text cannot drift.

/** The help text. */
export const HELP = `parley — the Parley relay

Usage:
  parley start [options]                  run the relay
  parley brand create --name N --origin URL [--origin URL ...] [--json]
                                          prints the brand's admin API key (every scope),
                                          shown this once
  parley agent create --brand ID --email E --name N [--role R] [--password P] [--json]
                                          (or the password in PARLEY_AGENT_PASSWORD); R is
                                          agent (default), supervisor or admin
  parley agent role --brand ID --email E --role R [--json]
                                          change an account's role (agent, supervisor or
                                          admin); after upgrading to roles, name the admins
  parley key create --brand ID --name N --scopes S1,S2 [--expires-days D] [--json]
                                          a new API key with these scopes; its secret is
                                          shown once. Scopes: ${SCOPES.join(', ')}
  parley mask-existing --brand ID [--batch-size N] [--pause-ms N] [--vacuum] [--json]
                                          mask the brand's stored messages, search index and
                                          contexts under its current masking configuration;
                                          resumes an interrupted run; --vacuum then rebuilds the
                                          file so no freed space keeps originals (docs/operations.md)
  parley backup --out FILE [--data-dir DIR] [--json]
                                          a consistent snapshot of the SQLite store, its token secret
                                          and attachment files in one new FILE, while the relay
                                          serves (PostgreSQL: prints the pg_dump command instead)
  parley restore FILE [--data-dir DIR] [--erasures LEDGER ...] [--json]
                                          a backup into an empty data directory, then replays the
                                          erasure ledger(s) (the old data directory's) so erased data
                                          stays erased
  parley replay-erasures [--erasures LEDGER ...] [--json]
                                          PostgreSQL, after pg_restore: erase again what the ledger
                                          lists (a relay also does it at every start)

Common options (flag, environment, default):
  --data-dir DIR       PARLEY_DATA_DIR     ./.parley-data   where the SQLite file and secret live
  --database-url URL   DATABASE_URL        (SQLite)         postgres://… serve from PostgreSQL as this role (one that
                                                            owns nothing: row-level security applies to it)
  PARLEY_DATABASE_OWNER_URL (environment only): postgres://… of the role that owns the schema; given,
                       the relay migrates the schema at start-up (safe when several nodes start at once)
  PARLEY_PG_POOL_SIZE (environment only): connections per relay to PostgreSQL (default ${DEFAULT_PG_POOL_SIZE})

start options:
  --port N             PORT                8080
  --host H             HOST                127.0.0.1
  --log-level L        PARLEY_LOG_LEVEL    info             fatal|error|warn|info|debug|trace|silent
  --synchronous M      PARLEY_SYNCHRONOUS  FULL             FULL survives OS crashes; NORMAL only relay crashes
  --store-thread T     PARLEY_STORE_THREAD auto             where SQLite runs: worker (its own thread), main (the event
                                                            loop), auto (worker with 3+ cores, else main)
  --tls-cert FILE      PARLEY_TLS_CERT                      serve https/wss with this certificate (PEM)
  --tls-key FILE       PARLEY_TLS_KEY                       ... and this key (PEM)
  --trust-proxy        PARLEY_TRUST_PROXY  off              use X-Forwarded-For for per-IP limits
  (env only)           PARLEY_ALLOW_PRIVATE_KEY_URLS off    let brands' JWKS URLs use http and private addresses
  (env only)           PARLEY_ALLOW_PRIVATE_WEBHOOK_URLS off  let brands' webhook URLs use http and private addresses
  --country-header H   PARLEY_COUNTRY_HEADER                the header your proxy sets to the visitor's
                                                            two-letter country (e.g. CF-IPCountry)
  --geoip-db FILE      PARLEY_GEOIP_DB                      a MaxMind .mmdb database to find the visitor's
                                                            country by address (the header wins)
  --widget-dir DIR     PARLEY_WIDGET_DIR   widget/dist      browser bundles served at /parley.js, /w/ and /console
  --redis-url URL      REDIS_URL           (one node)       redis://… join the other relay nodes through Redis
                                                            (fan-out, presence, rate limits); needs PARLEY_SECRET
  --node-id ID         PARLEY_NODE_ID      host-pid-random  this node's name in logs and in Redis
  --redis-prefix P     PARLEY_REDIS_PREFIX parley:          starts every Redis key and the bus channel; give
                                                            each cluster sharing one Redis its own
  (env only)           PARLEY_HEAP_GROWTH  ${DEFAULT_HEAP_GROWTH_PERCENT}               percent V8's old generation may grow past its live size
                                                            before a full collection, with pretenuring off; 0: V8's own
  (env only)           PARLEY_BUS_BATCH    off              1: send one turn's live events to the other nodes as
                                                            one Redis message; only once every node runs this release
  --public-url URL     PARLEY_PUBLIC_URL                    the address browsers reach the relay at (a load
                                                            balancer); the demo page points there
  --demo / --no-demo                       off              demo brand, agent and brand site (on PORT+1)
  --no-demo-rules                                           leave the demo brand without deployment rules
  --no-demo-surveys                                         leave the demo brand without pre- and post-chat surveys
  PARLEY_BLOB_URL (environment only): s3://bucket/prefix keeps attachments in an S3-compatible bucket
                       (with PARLEY_S3_ENDPOINT, PARLEY_S3_REGION, PARLEY_S3_ACCESS_KEY_ID,
                       PARLEY_S3_SECRET_ACCESS_KEY); default DATA_DIR/attachments
  PARLEY_SECRET (environment only): token-signing secret shared by several relays (>= 32 chars)
  PARLEY_MASKING_BATCH_SIZE, PARLEY_MASKING_PAUSE_MS (environment only): rows per batch and pause
                       between batches of masking runs started with POST /v1/masking/runs
  PARLEY_ERASURE_LEDGER (environment only): the erasure ledger a restore and every start replay
                       (ids only); default DATA_DIR/erasure-ledger.jsonl; put it on another disk (one per node)

Limits:
${limitsHelp()}
`
