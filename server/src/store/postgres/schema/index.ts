import { CORE } from './001-core.js'
import { TENANCY } from './002-tenancy.js'
import { LISTING } from './003-listing.js'
import { AGENTS_DAY } from './004-agents-day.js'
import { ACCESS } from './005-access.js'
import { DATA_RIGHTS } from './006-data-rights.js'
import { WEBHOOKS } from './007-webhooks.js'
import { LEDGER_MARKS } from './008-ledger-marks.js'
import { SEARCH_ASCII } from './009-search-ascii.js'
import { SEARCH_ASCII_SPLIT } from './010-search-ascii-split.js'

// The PostgreSQL schema's migrations, oldest first; each runs once, in a transaction of its own, as
// the owner role (migrate.ts). A shipped migration is never edited: add a new one.

export interface Migration {
  version: number
  name: string
  sql: string
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'core', sql: CORE },
  { version: 2, name: 'tenancy', sql: TENANCY },
  { version: 3, name: 'listing', sql: LISTING },
  { version: 4, name: 'agents-day', sql: AGENTS_DAY },
  { version: 5, name: 'access', sql: ACCESS },
  { version: 6, name: 'data-rights', sql: DATA_RIGHTS },
  { version: 7, name: 'webhooks', sql: WEBHOOKS },
  { version: 8, name: 'ledger-marks', sql: LEDGER_MARKS },
  { version: 9, name: 'search-ascii', sql: SEARCH_ASCII },
  { version: 10, name: 'search-ascii-split', sql: SEARCH_ASCII_SPLIT },
]
