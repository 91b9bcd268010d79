/**
 * The data keys of data subjects, in a table beside the evidence (`evidence_subject_keys`, same SQLite
 * file or PostgreSQL schema), never in a hashed event. Unlike the evidence tables it is mutable: erasing a
 * subject overwrites its wrapped key with NULL. One row per subject:
 *   subject_id       `ps-` + 32 hex, random: the pseudonym sealed fields carry in clear
 *   identity_digest  HMAC of the normalised identity under a KEK-derived key (no name in clear); NULL once
 *                    erasure begins, so the identity's next event starts a new subject
 *   key_id, wrapped_key, kek_id   the data key, wrapped under the KEK; wrapped_key NULL once erased
 *   erasure          JSON { eventId, reason, requestedAt, by } once erasure begins (reads then show
 *                    "[erased]"); kept after, so an interrupted erasure is finished the same way
 *   erased_at        when the key was destroyed
 */
import type Database from 'better-sqlite3';
import { Pool } from 'pg';
import { migratePostgresSchema, quoteSchema, type PostgresSchemaMigration } from '../sql/postgres-schema';
import { migrateSqliteSchema, openSqliteFile, type SqliteSchemaMigration } from '../sql/sqlite-schema';

export const PERSONAL_DATA_MIGRATIONS_TABLE = 'personal_data_schema_migrations';

export interface SubjectKeyRow {
  subjectId: string;
  identityDigest: string | null;
  keyId: string;
  wrappedKey: string | null;
  kekId: string;
  createdAt: string;
  erasure: string | null;
  erasedAt: string | null;
}

export interface SubjectKeyStore {
  readonly kind: 'sqlite' | 'postgres';
  /** The live subject of an identity digest; `candidate` is inserted when there is none (a race keeps the first). */
  subjectFor(candidate: SubjectKeyRow): Promise<SubjectKeyRow>;
  byIdentityDigest(digest: string): Promise<SubjectKeyRow | null>;
  bySubjectIds(subjectIds: readonly string[]): Promise<SubjectKeyRow[]>;
  /** Marks the erasure as begun (and forgets the identity) unless it already was; answers the row as it then is. */
  beginErasure(subjectId: string, erasure: string): Promise<SubjectKeyRow | null>;
  /** Destroys the wrapped key. */
  completeErasure(subjectId: string, erasedAt: string): Promise<void>;
  /** Erasures begun and not completed (a crash between the steps). */
  pendingErasures(): Promise<SubjectKeyRow[]>;
  close(): Promise<void>;
}

const TABLE_SQL = (t: string): string => `
  CREATE TABLE ${t} (
    subject_id      TEXT PRIMARY KEY,
    identity_digest TEXT UNIQUE,
    key_id          TEXT NOT NULL,
    wrapped_key     TEXT,
    kek_id          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    erasure         TEXT,
    erased_at       TEXT
  )`;

const SQLITE_MIGRATIONS: readonly SqliteSchemaMigration[] = [
  { version: 1, name: 'data keys of data subjects', sql: `${TABLE_SQL('evidence_subject_keys')} STRICT;` },
];

const POSTGRES_MIGRATIONS: readonly PostgresSchemaMigration[] = [
  { version: 1, name: 'data keys of data subjects', sql: (s) => TABLE_SQL(`${s}.evidence_subject_keys`) },
];

const COLUMNS_SQLITE = `subject_id AS subjectId, identity_digest AS identityDigest, key_id AS keyId, wrapped_key AS wrappedKey,
  kek_id AS kekId, created_at AS createdAt, erasure, erased_at AS erasedAt`;
const COLUMNS_PG = `subject_id AS "subjectId", identity_digest AS "identityDigest", key_id AS "keyId", wrapped_key AS "wrappedKey",
  kek_id AS "kekId", created_at AS "createdAt", erasure, erased_at AS "erasedAt"`;

export class SqliteSubjectKeyStore implements SubjectKeyStore {
  readonly kind = 'sqlite' as const;

  private constructor(private readonly db: Database.Database) {}

  static open(path: string): SqliteSubjectKeyStore {
    const db = openSqliteFile(path);
    try {
      // A destroyed key's bytes are overwritten in the file, not left in a free page.
      db.pragma('secure_delete = ON');
      migrateSqliteSchema(db, 'personal data', PERSONAL_DATA_MIGRATIONS_TABLE, SQLITE_MIGRATIONS);
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteSubjectKeyStore(db);
  }

  async subjectFor(c: SubjectKeyRow): Promise<SubjectKeyRow> {
    const run = this.db.transaction((): SubjectKeyRow => {
      const found = this.db.prepare(`SELECT ${COLUMNS_SQLITE} FROM evidence_subject_keys WHERE identity_digest = ?`).get(c.identityDigest);
      if (found) return found as SubjectKeyRow;
      this.db
        .prepare(
          `INSERT INTO evidence_subject_keys (subject_id, identity_digest, key_id, wrapped_key, kek_id, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(c.subjectId, c.identityDigest, c.keyId, c.wrappedKey, c.kekId, c.createdAt);
      return c;
    });
    return run.immediate();
  }

  async byIdentityDigest(digest: string): Promise<SubjectKeyRow | null> {
    return (
      (this.db.prepare(`SELECT ${COLUMNS_SQLITE} FROM evidence_subject_keys WHERE identity_digest = ?`).get(digest) as SubjectKeyRow) ??
      null
    );
  }

  async bySubjectIds(ids: readonly string[]): Promise<SubjectKeyRow[]> {
    if (ids.length === 0) return [];
    const marks = ids.map(() => '?').join(', ');
    return this.db
      .prepare(`SELECT ${COLUMNS_SQLITE} FROM evidence_subject_keys WHERE subject_id IN (${marks})`)
      .all(...ids) as SubjectKeyRow[];
  }

  async beginErasure(subjectId: string, erasure: string): Promise<SubjectKeyRow | null> {
    const run = this.db.transaction((): SubjectKeyRow | null => {
      this.db
        .prepare('UPDATE evidence_subject_keys SET erasure = ?, identity_digest = NULL WHERE subject_id = ? AND erasure IS NULL')
        .run(erasure, subjectId);
      return (
        (this.db.prepare(`SELECT ${COLUMNS_SQLITE} FROM evidence_subject_keys WHERE subject_id = ?`).get(subjectId) as SubjectKeyRow) ??
        null
      );
    });
    return run.immediate();
  }

  async completeErasure(subjectId: string, erasedAt: string): Promise<void> {
    this.db
      .prepare(
        'UPDATE evidence_subject_keys SET wrapped_key = NULL, identity_digest = NULL, erased_at = ? WHERE subject_id = ? AND erased_at IS NULL',
      )
      .run(erasedAt, subjectId);
    // Committed pages of the WAL still hold the old row until a checkpoint copies them back.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async pendingErasures(): Promise<SubjectKeyRow[]> {
    return this.db
      .prepare(`SELECT ${COLUMNS_SQLITE} FROM evidence_subject_keys WHERE erasure IS NOT NULL AND erased_at IS NULL ORDER BY subject_id`)
      .all() as SubjectKeyRow[];
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

export class PostgresSubjectKeyStore implements SubjectKeyStore {
  readonly kind = 'postgres' as const;
  private readonly table: string;

  private constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.table = `${quoteSchema(schema)}.evidence_subject_keys`;
  }

  static async open(options: { connectionString: string; schema: string }): Promise<PostgresSubjectKeyStore> {
    quoteSchema(options.schema);
    const pool = new Pool({ connectionString: options.connectionString, max: 2, application_name: 'aims-personal-data' });
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      try {
        await migratePostgresSchema(client, {
          family: 'personal data',
          schema: options.schema,
          table: PERSONAL_DATA_MIGRATIONS_TABLE,
          migrations: POSTGRES_MIGRATIONS,
        });
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresSubjectKeyStore(pool, options.schema);
  }

  async subjectFor(c: SubjectKeyRow): Promise<SubjectKeyRow> {
    await this.pool.query(
      `INSERT INTO ${this.table} (subject_id, identity_digest, key_id, wrapped_key, kek_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (identity_digest) DO NOTHING`,
      [c.subjectId, c.identityDigest, c.keyId, c.wrappedKey, c.kekId, c.createdAt],
    );
    const found = await this.byIdentityDigest(c.identityDigest as string);
    // Erased between the insert and the read (a concurrent erasure): seal under a new subject next time.
    return found ?? c;
  }

  async byIdentityDigest(digest: string): Promise<SubjectKeyRow | null> {
    return (
      (await this.pool.query<SubjectKeyRow>(`SELECT ${COLUMNS_PG} FROM ${this.table} WHERE identity_digest = $1`, [digest])).rows[0] ?? null
    );
  }

  async bySubjectIds(ids: readonly string[]): Promise<SubjectKeyRow[]> {
    if (ids.length === 0) return [];
    return (await this.pool.query<SubjectKeyRow>(`SELECT ${COLUMNS_PG} FROM ${this.table} WHERE subject_id = ANY($1::text[])`, [ids])).rows;
  }

  async beginErasure(subjectId: string, erasure: string): Promise<SubjectKeyRow | null> {
    await this.pool.query(`UPDATE ${this.table} SET erasure = $1, identity_digest = NULL WHERE subject_id = $2 AND erasure IS NULL`, [
      erasure,
      subjectId,
    ]);
    return (await this.bySubjectIds([subjectId]))[0] ?? null;
  }

  async completeErasure(subjectId: string, erasedAt: string): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.table} SET wrapped_key = NULL, identity_digest = NULL, erased_at = $1 WHERE subject_id = $2 AND erased_at IS NULL`,
      [erasedAt, subjectId],
    );
  }

  async pendingErasures(): Promise<SubjectKeyRow[]> {
    return (
      await this.pool.query<SubjectKeyRow>(
        `SELECT ${COLUMNS_PG} FROM ${this.table} WHERE erasure IS NOT NULL AND erased_at IS NULL ORDER BY subject_id`,
      )
    ).rows;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
