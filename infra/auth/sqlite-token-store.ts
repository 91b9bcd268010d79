/** API tokens in the evidence store's SQLite file (its own connection; WAL lets it share the file). */
import type Database from 'better-sqlite3';
import { SqliteStatementCache } from '../sql/sqlite-statement-cache';
import { migrateSqliteSchema, openSqliteFile } from '../sql/sqlite-schema';
import { TokenNameTakenError } from './token-errors';
import { AUTH_MIGRATIONS_TABLE, SQLITE_TOKEN_MIGRATIONS } from './token-migrations';
import { checkIdentityRows, StoredTokenRow, TokenStoreBase } from './token-store-base';

const COLUMNS = `id, name, roles, salt, secret_hash AS secretHash, created_at AS createdAt, created_by AS createdBy,
  expires_at AS expiresAt, revoked_at AS revokedAt, revoked_by AS revokedBy`;

export class SqliteTokenStore extends TokenStoreBase {
  readonly kind = 'sqlite' as const;

  private readonly sql: SqliteStatementCache;

  private constructor(private readonly db: Database.Database) {
    super();
    this.sql = new SqliteStatementCache(db);
  }

  static open(options: { path: string }): SqliteTokenStore {
    const db = openSqliteFile(options.path);
    try {
      migrateSqliteSchema(db, 'API token', AUTH_MIGRATIONS_TABLE, SQLITE_TOKEN_MIGRATIONS);
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteTokenStore(db);
  }

  protected async insertForIdentity(row: StoredTokenRow, replacing: readonly string[] | null): Promise<void> {
    // IMMEDIATE: the write lock is taken before the check, so two processes cannot both find the name free.
    const run = this.db.transaction(() => {
      const existing = this.sql.get(`SELECT ${COLUMNS} FROM api_tokens WHERE lower(name) = ?`).all(row.name) as StoredTokenRow[];
      checkIdentityRows(row, existing, replacing);
      const revoke = this.sql.get('UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL');
      for (const id of replacing ?? []) revoke.run(row.createdAt, row.createdBy, id);
      this.sql
        .get(
          `INSERT INTO api_tokens (id, name, roles, salt, secret_hash, created_at, created_by, expires_at, revoked_at, revoked_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          row.id,
          row.name,
          row.roles,
          row.salt,
          row.secretHash,
          row.createdAt,
          row.createdBy,
          row.expiresAt,
          row.revokedAt,
          row.revokedBy,
        );
    });
    try {
      run.immediate();
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && /api_tokens\.name/.test((error as Error).message)) {
        throw new TokenNameTakenError(row.name);
      }
      throw error;
    }
  }

  protected async selectRows(activeOnly: boolean): Promise<StoredTokenRow[]> {
    const where = activeOnly ? 'WHERE revoked_at IS NULL' : '';
    return this.sql.get(`SELECT ${COLUMNS} FROM api_tokens ${where} ORDER BY created_at, id`).all() as StoredTokenRow[];
  }

  protected async selectById(id: string): Promise<StoredTokenRow | undefined> {
    return this.sql.get(`SELECT ${COLUMNS} FROM api_tokens WHERE id = ?`).get(id) as StoredTokenRow | undefined;
  }

  protected async selectByIdentity(identity: string): Promise<StoredTokenRow[]> {
    // Names are ASCII (TOKEN_NAME), so lower() is their normalised identity, for rows stored before normalisation too.
    return this.sql
      .get(`SELECT ${COLUMNS} FROM api_tokens WHERE lower(name) = ? ORDER BY created_at, id`)
      .all(identity) as StoredTokenRow[];
  }

  protected async markRevoked(id: string, at: string, by: string | null): Promise<StoredTokenRow | undefined> {
    this.sql.get('UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL').run(at, by, id);
    return this.selectById(id);
  }

  async ping(): Promise<void> {
    this.sql.get('SELECT 1 FROM api_tokens LIMIT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
