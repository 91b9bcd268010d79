/**
 * Prepared statements kept for reuse. better-sqlite3 compiles the SQL on every `prepare()`; on the API's
 * hot paths (the token check and the checkpoint wait on every request, the projector on every batch) that
 * compile was about a twentieth of the API process's CPU in `bench:api`'s profile. Bounded, least recently
 * used first out, so SQL built from a caller's filters cannot grow it without limit.
 *
 * The event store's reads, the read models, tokens and content share it. Only for statements run with
 * `.get()`, `.all()` or `.run()` to completion (an `.iterate()` in progress keeps its statement busy); a
 * statement used with `.pluck()` or `.raw()` changes for every caller of the same SQL, so all of them must
 * use it that way.
 */
import type Database from 'better-sqlite3';

export class SqliteStatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly limit = 256,
  ) {}

  get(sql: string): Database.Statement {
    const cached = this.statements.get(sql);
    if (cached !== undefined) {
      // Map order is insertion order: moving it to the end marks it most recently used.
      this.statements.delete(sql);
      this.statements.set(sql, cached);
      return cached;
    }
    const statement = this.db.prepare(sql);
    this.statements.set(sql, statement);
    if (this.statements.size > this.limit) {
      const oldest = this.statements.keys().next().value;
      if (oldest !== undefined) this.statements.delete(oldest);
    }
    return statement;
  }

  /** How many statements are kept (for tests). */
  get size(): number {
    return this.statements.size;
  }
}
