/** Document content in the evidence store's PostgreSQL schema (a small pool of its own). */
import { Pool } from 'pg';
import { isSha256Digest } from '../../domain/shared/artifact-digest';
import type { ContentLimits, ContentStore, PutContentInput, StoredContent } from '../ports/content-store.port';
import { migratePostgresSchema, quoteSchema } from '../sql/postgres-schema';
import { checkContent, CONTENT_MIGRATIONS_TABLE, DEFAULT_CONTENT_LIMITS, sha256Digest } from './content-rules';

const POSTGRES_CONTENT_MIGRATIONS = [
  {
    version: 1,
    name: 'document contents by digest',
    sql: (s: string) => `
      CREATE TABLE ${s}.document_contents (
        digest       text COLLATE "C" PRIMARY KEY,
        content_type text NOT NULL,
        size         integer NOT NULL,
        bytes        bytea NOT NULL,
        stored_at    text NOT NULL
      );
    `,
  },
];

const COLUMNS = 'digest, content_type AS "contentType", size, stored_at AS "storedAt"';

export class PostgresContentStore implements ContentStore {
  readonly kind = 'postgres' as const;
  private readonly table: string;

  private constructor(
    private readonly pool: Pool,
    schema: string,
    readonly limits: ContentLimits,
  ) {
    this.table = `${quoteSchema(schema)}.document_contents`;
  }

  static async open(options: {
    connectionString: string;
    schema: string;
    limits?: ContentLimits;
    poolSize?: number;
  }): Promise<PostgresContentStore> {
    quoteSchema(options.schema);
    const pool = new Pool({ connectionString: options.connectionString, max: options.poolSize ?? 4, application_name: 'aims-content' });
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      try {
        await migratePostgresSchema(client, {
          family: 'document content',
          schema: options.schema,
          table: CONTENT_MIGRATIONS_TABLE,
          migrations: POSTGRES_CONTENT_MIGRATIONS,
        });
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresContentStore(pool, options.schema, options.limits ?? DEFAULT_CONTENT_LIMITS);
  }

  async put(input: PutContentInput): Promise<StoredContent & { created: boolean }> {
    const { digest, contentType } = checkContent(input, this.limits);
    // One statement: the row is there whole or not at all.
    const inserted = await this.pool.query(
      `INSERT INTO ${this.table} (digest, content_type, size, bytes, stored_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (digest) DO NOTHING`,
      [digest, contentType, input.bytes.byteLength, Buffer.from(input.bytes), new Date().toISOString()],
    );
    const stored = await this.head(digest);
    if (stored === null) throw new Error(`bug: content ${digest} neither inserted nor found`);
    return { ...stored, created: inserted.rowCount === 1 };
  }

  async get(digest: string): Promise<{ content: StoredContent; bytes: Buffer } | null> {
    if (!isSha256Digest(digest)) return null;
    const row = (
      await this.pool.query<StoredContent & { bytes: Buffer }>(`SELECT ${COLUMNS}, bytes FROM ${this.table} WHERE digest = $1`, [digest])
    ).rows[0];
    if (row === undefined) return null;
    const { bytes, ...content } = row;
    if (sha256Digest(bytes) !== digest) throw new Error(`content ${digest} is corrupt: its bytes hash to ${sha256Digest(bytes)}`);
    return { content, bytes };
  }

  async head(digest: string): Promise<StoredContent | null> {
    if (!isSha256Digest(digest)) return null;
    return (await this.pool.query<StoredContent>(`SELECT ${COLUMNS} FROM ${this.table} WHERE digest = $1`, [digest])).rows[0] ?? null;
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
