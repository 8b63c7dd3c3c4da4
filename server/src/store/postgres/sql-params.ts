// Parameters of one statement built from optional parts (a filter per query field): each value is
// added once and named by its placeholder ($1, $2 …), so no value is ever written into the SQL.

/** The values of one statement, in placeholder order. */
export class SqlParams {
  readonly values: unknown[] = []

  /** Adds `value`; returns its placeholder. */
  add(value: unknown): string {
    this.values.push(value)
    return `$${this.values.length}`
  }
}
