import type Database from 'better-sqlite3'

// Multi-row INSERTs for the rows a commit writes by the dozen (a batch's messages, an index write's
// entries). A statement per row costs, besides the b-tree work, a statement start and finish, a
// call into the driver and a result object per row; one statement per ROWS_PER_STATEMENT rows shares
// them. On the store alone that took a tenth off the instructions per message (test/bench/README.md).

const ROWS_PER_STATEMENT = 64

/** Inserts many rows of `width` values with as few statements as it can. */
export class BulkInsert {
  readonly #db: Database.Database
  readonly #head: string
  readonly #row: string
  readonly #tail: string
  readonly #width: number
  /** The statement for n rows at index n, prepared on first use. */
  readonly #statements: (Database.Statement | undefined)[] = []

  /**
   * `head` is the statement up to VALUES (`INSERT INTO t (a, b)`), `tail` what follows the rows
   * (`ON CONFLICT DO NOTHING`), `width` the number of columns.
   */
  constructor(db: Database.Database, head: string, width: number, tail = '') {
    this.#db = db
    this.#head = head
    this.#width = width
    this.#row = `(${new Array<string>(width).fill('?').join(', ')})`
    this.#tail = tail
  }

  /**
   * Inserts rows given one after another in `values`, `width` values each, in column order. More
   * than ROWS_PER_STATEMENT rows take several statements: call it inside a transaction, so that a
   * failure in a later one takes the earlier ones back too. Returns the last statement's result
   * (its `lastInsertRowid` is the last row's), or null when there were no rows.
   */
  run(values: readonly unknown[]): Database.RunResult | null {
    if (values.length % this.#width !== 0) throw new Error(`rows of ${this.#width} values expected, got ${values.length} values`)
    const rows = values.length / this.#width
    let last: Database.RunResult | null = null
    for (let from = 0; from < rows; from += ROWS_PER_STATEMENT) {
      const n = Math.min(ROWS_PER_STATEMENT, rows - from)
      // As arguments, not as one array: the driver reads an array's elements one by one through
      // V8's generic property lookup, which cost more than binding them (test/bench/README.md).
      last = this.#statement(n).run(...(n === rows ? values : values.slice(from * this.#width, (from + n) * this.#width)))
    }
    return last
  }

  #statement(rows: number): Database.Statement {
    let s = this.#statements[rows]
    if (!s) {
      const sql = `${this.#head} VALUES ${new Array<string>(rows).fill(this.#row).join(', ')} ${this.#tail}`
      this.#statements[rows] = s = this.#db.prepare(sql)
    }
    return s
  }
}
