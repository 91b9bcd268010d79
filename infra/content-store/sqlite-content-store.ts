/** Document content in the evidence store's SQLite file (its own connection; WAL lets it share the file). */
import { SqliteStatementCache } from '../sql/sqlite-statement-cache';
import type Database from 'better-sqlite3';
import { isSha256Digest } from '../../domain/shared/artifact-digest';
import type { ContentLimits, ContentStore, PutContentInput, StoredContent } from '../ports/content-store.port';
import { migrateSqliteSchema, openSqliteFile } from '../sql/sqlite-schema';
import { checkContent, CONTENT_MIGRATIONS_TABLE, DEFAULT_CONTENT_LIMITS, sha256Digest } from './content-rules';

const SQLITE_CONTENT_MIGRATIONS = [
  {
    version: 1,
    name: 'document contents by digest',
    sql: `
      CREATE TABLE document_contents (
        digest       TEXT PRIMARY KEY,
        content_type TEXT NOT NULL,
        size         INTEGER NOT NULL,
        bytes        BLOB NOT NULL,
        stored_at    TEXT NOT NULL
      ) STRICT;
    `,
  },
];

const COLUMNS = 'digest, content_type AS contentType, size, stored_at AS storedAt';

export class SqliteContentStore implements ContentStore {
  readonly kind = 'sqlite' as const;

  private readonly sql: SqliteStatementCache;

  private constructor(
    private readonly db: Database.Database,
    readonly limits: ContentLimits,
  ) {
    this.sql = new SqliteStatementCache(db);
  }

  static open(options: { path: string; limits?: ContentLimits }): SqliteContentStore {
    const db = openSqliteFile(options.path);
    try {
      migrateSqliteSchema(db, 'document content', CONTENT_MIGRATIONS_TABLE, SQLITE_CONTENT_MIGRATIONS);
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteContentStore(db, options.limits ?? DEFAULT_CONTENT_LIMITS);
  }

  async put(input: PutContentInput): Promise<StoredContent & { created: boolean }> {
    const { digest, contentType } = checkContent(input, this.limits);
    const storedAt = new Date().toISOString();
    // One statement: the row is there whole or not at all.
    const inserted = this.sql
      .get(
        'INSERT INTO document_contents (digest, content_type, size, bytes, stored_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (digest) DO NOTHING',
      )
      .run(digest, contentType, input.bytes.byteLength, Buffer.from(input.bytes), storedAt);
    const stored = await this.head(digest);
    if (stored === null) throw new Error(`bug: content ${digest} neither inserted nor found`);
    return { ...stored, created: inserted.changes === 1 };
  }

  async get(digest: string): Promise<{ content: StoredContent; bytes: Buffer } | null> {
    if (!isSha256Digest(digest)) return null;
    const row = this.sql.get(`SELECT ${COLUMNS}, bytes FROM document_contents WHERE digest = ?`).get(digest) as
      (StoredContent & { bytes: Buffer }) | undefined;
    if (row === undefined) return null;
    const { bytes, ...content } = row;
    // The bytes prove themselves: a row whose bytes do not hash to its key is not served.
    if (sha256Digest(bytes) !== digest) throw new Error(`content ${digest} is corrupt: its bytes hash to ${sha256Digest(bytes)}`);
    return { content, bytes };
  }

  async head(digest: string): Promise<StoredContent | null> {
    if (!isSha256Digest(digest)) return null;
    return (this.sql.get(`SELECT ${COLUMNS} FROM document_contents WHERE digest = ?`).get(digest) as StoredContent | undefined) ?? null;
  }

  async ping(): Promise<void> {
    this.sql.get('SELECT 1').get();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
