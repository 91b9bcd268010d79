/** API tokens in the evidence store's PostgreSQL schema (a small pool of its own). */
import { Pool } from 'pg';
import { migratePostgresSchema, quoteSchema } from '../sql/postgres-schema';
import { TokenNameTakenError } from './token-errors';
import { AUTH_MIGRATIONS_TABLE, POSTGRES_TOKEN_MIGRATIONS } from './token-migrations';
import { checkIdentityRows, StoredTokenRow, TokenStoreBase } from './token-store-base';

const COLUMNS = `id, name, roles, salt, secret_hash AS "secretHash", created_at AS "createdAt", created_by AS "createdBy",
  expires_at AS "expiresAt", revoked_at AS "revokedAt", revoked_by AS "revokedBy"`;

export class PostgresTokenStore extends TokenStoreBase {
  readonly kind = 'postgres' as const;
  private readonly table: string;

  private constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    super();
    this.table = `${quoteSchema(schema)}.api_tokens`;
  }

  static async open(options: { connectionString: string; schema: string; poolSize?: number }): Promise<PostgresTokenStore> {
    quoteSchema(options.schema);
    const pool = new Pool({ connectionString: options.connectionString, max: options.poolSize ?? 4, application_name: 'aims-auth' });
    // An idle client losing its server must not crash the process; the next query reports the problem.
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      try {
        await migratePostgresSchema(client, {
          family: 'API token',
          schema: options.schema,
          table: AUTH_MIGRATIONS_TABLE,
          migrations: POSTGRES_TOKEN_MIGRATIONS,
        });
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresTokenStore(pool, options.schema);
  }

  protected async insertForIdentity(row: StoredTokenRow, replacing: readonly string[] | null): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Blocks other writers (not readers) until commit, so two issuers cannot both find the name free.
      await client.query(`LOCK TABLE ${this.table} IN SHARE ROW EXCLUSIVE MODE`);
      const existing = (await client.query<StoredTokenRow>(`SELECT ${COLUMNS} FROM ${this.table} WHERE lower(name) = $1`, [row.name])).rows;
      checkIdentityRows(row, existing, replacing);
      for (const id of replacing ?? []) {
        await client.query(`UPDATE ${this.table} SET revoked_at = $2, revoked_by = $3 WHERE id = $1 AND revoked_at IS NULL`, [
          id,
          row.createdAt,
          row.createdBy,
        ]);
      }
      await client.query(
        `INSERT INTO ${this.table} (id, name, roles, salt, secret_hash, created_at, created_by, expires_at, revoked_at, revoked_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [row.id, row.name, row.roles, row.salt, row.secretHash, row.createdAt, row.createdBy, row.expiresAt, row.revokedAt, row.revokedBy],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      const pgError = error as { code?: string; constraint?: string };
      if (pgError.code === '23505' && pgError.constraint === 'api_tokens_active_name') throw new TokenNameTakenError(row.name);
      throw error;
    } finally {
      client.release();
    }
  }

  protected async selectRows(activeOnly: boolean): Promise<StoredTokenRow[]> {
    const where = activeOnly ? 'WHERE revoked_at IS NULL' : '';
    return (await this.pool.query<StoredTokenRow>(`SELECT ${COLUMNS} FROM ${this.table} ${where} ORDER BY created_at, id`)).rows;
  }

  protected async selectById(id: string): Promise<StoredTokenRow | undefined> {
    return (await this.pool.query<StoredTokenRow>(`SELECT ${COLUMNS} FROM ${this.table} WHERE id = $1`, [id])).rows[0];
  }

  protected async selectByIdentity(identity: string): Promise<StoredTokenRow[]> {
    // Names are ASCII (TOKEN_NAME), so lower() is their normalised identity, for rows stored before normalisation too.
    return (
      await this.pool.query<StoredTokenRow>(`SELECT ${COLUMNS} FROM ${this.table} WHERE lower(name) = $1 ORDER BY created_at, id`, [
        identity,
      ])
    ).rows;
  }

  protected async markRevoked(id: string, at: string, by: string | null): Promise<StoredTokenRow | undefined> {
    await this.pool.query(`UPDATE ${this.table} SET revoked_at = $2, revoked_by = $3 WHERE id = $1 AND revoked_at IS NULL`, [id, at, by]);
    return this.selectById(id);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
