/** API tokens in the evidence store's SQLite file (its own connection; WAL lets it share the file). */
import type Database from 'better-sqlite3';
import { migrateSqliteSchema, openSqliteFile } from '../sql/sqlite-schema';
import { TokenNameTakenError } from './token-errors';
import { AUTH_MIGRATIONS_TABLE, SQLITE_TOKEN_MIGRATIONS } from './token-migrations';
import { StoredTokenRow, TokenStoreBase } from './token-store-base';

const COLUMNS = `id, name, roles, salt, secret_hash AS secretHash, created_at AS createdAt, created_by AS createdBy,
  expires_at AS expiresAt, revoked_at AS revokedAt, revoked_by AS revokedBy`;

export class SqliteTokenStore extends TokenStoreBase {
  readonly kind = 'sqlite' as const;

  private constructor(private readonly db: Database.Database) {
    super();
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

  protected async insertRow(row: StoredTokenRow): Promise<void> {
    try {
      this.db
        .prepare(
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
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && /api_tokens\.name/.test((error as Error).message)) {
        throw new TokenNameTakenError(row.name);
      }
      throw error;
    }
  }

  protected async selectRows(activeOnly: boolean): Promise<StoredTokenRow[]> {
    const where = activeOnly ? 'WHERE revoked_at IS NULL' : '';
    return this.db.prepare(`SELECT ${COLUMNS} FROM api_tokens ${where} ORDER BY created_at, id`).all() as StoredTokenRow[];
  }

  protected async selectById(id: string): Promise<StoredTokenRow | undefined> {
    return this.db.prepare(`SELECT ${COLUMNS} FROM api_tokens WHERE id = ?`).get(id) as StoredTokenRow | undefined;
  }

  protected async selectActiveByName(name: string): Promise<StoredTokenRow | undefined> {
    return this.db.prepare(`SELECT ${COLUMNS} FROM api_tokens WHERE name = ? AND revoked_at IS NULL`).get(name) as
      StoredTokenRow | undefined;
  }

  protected async markRevoked(id: string, at: string, by: string | null): Promise<StoredTokenRow | undefined> {
    this.db.prepare('UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL').run(at, by, id);
    return this.selectById(id);
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1 FROM api_tokens LIMIT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
