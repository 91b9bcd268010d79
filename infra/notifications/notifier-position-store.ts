/**
 * Where the notifier has read the evidence up to, kept durably beside the evidence (a small mutable table,
 * like the projections' checkpoints), so a restarted worker neither skips an event nor notifies from the
 * beginning. One row per notifier name; the position only moves forward.
 */
import type Database from 'better-sqlite3';
import { Pool } from 'pg';
import { parseEventStoreUrl } from '../event-store/open-event-store';
import { migratePostgresSchema, quoteSchema, type PostgresSchemaMigration } from '../sql/postgres-schema';
import { migrateSqliteSchema, openSqliteFile, type SqliteSchemaMigration } from '../sql/sqlite-schema';

export interface NotifierPositionStore {
  /** The last position handled, or null when this notifier never ran. */
  get(name: string): Promise<number | null>;
  /** Records the position; a lower one than stored is ignored (positions never move back). */
  save(name: string, position: number): Promise<void>;
  close(): Promise<void>;
}

const MIGRATIONS_TABLE = 'notifier_schema_migrations';

const SQLITE_MIGRATIONS: readonly SqliteSchemaMigration[] = [
  {
    version: 1,
    name: 'notifier positions',
    sql: `CREATE TABLE notifier_positions (name TEXT PRIMARY KEY, position INTEGER NOT NULL, updated_at TEXT NOT NULL) STRICT;`,
  },
];

const POSTGRES_MIGRATIONS: readonly PostgresSchemaMigration[] = [
  {
    version: 1,
    name: 'notifier positions',
    sql: (s) =>
      `CREATE TABLE ${s}.notifier_positions (name text COLLATE "C" PRIMARY KEY, position bigint NOT NULL, updated_at text NOT NULL);`,
  },
];

export class SqliteNotifierPositionStore implements NotifierPositionStore {
  private constructor(private readonly db: Database.Database) {}

  static open(options: { path: string }): SqliteNotifierPositionStore {
    const db = openSqliteFile(options.path);
    try {
      migrateSqliteSchema(db, 'notifier', MIGRATIONS_TABLE, SQLITE_MIGRATIONS);
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteNotifierPositionStore(db);
  }

  async get(name: string): Promise<number | null> {
    const row = this.db.prepare('SELECT position FROM notifier_positions WHERE name = ?').get(name) as { position: number } | undefined;
    return row === undefined ? null : row.position;
  }

  async save(name: string, position: number): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO notifier_positions (name, position, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
         WHERE excluded.position > notifier_positions.position`,
      )
      .run(name, position, new Date().toISOString());
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

export class PostgresNotifierPositionStore implements NotifierPositionStore {
  private readonly table: string;

  private constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.table = `${quoteSchema(schema)}.notifier_positions`;
  }

  static async open(options: { connectionString: string; schema: string }): Promise<PostgresNotifierPositionStore> {
    quoteSchema(options.schema);
    const pool = new Pool({ connectionString: options.connectionString, max: 2, application_name: 'aims-notifier' });
    // An idle client losing its server must not crash the process; the next query reports the problem.
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      try {
        await migratePostgresSchema(client, {
          family: 'notifier',
          schema: options.schema,
          table: MIGRATIONS_TABLE,
          migrations: POSTGRES_MIGRATIONS,
        });
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresNotifierPositionStore(pool, options.schema);
  }

  async get(name: string): Promise<number | null> {
    const result = await this.pool.query<{ position: string }>(`SELECT position FROM ${this.table} WHERE name = $1`, [name]);
    const row = result.rows[0];
    return row === undefined ? null : Number(row.position);
  }

  async save(name: string, position: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.table} AS t (name, position, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = EXCLUDED.updated_at
       WHERE EXCLUDED.position > t.position`,
      [name, position, new Date().toISOString()],
    );
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Opens the position store in the database named by an evidence store URL (AIMS_EVENT_STORE_URL). */
export async function openNotifierPositionStore(eventStoreUrl: string): Promise<NotifierPositionStore> {
  const location = parseEventStoreUrl(eventStoreUrl);
  switch (location.kind) {
    case 'sqlite':
      return SqliteNotifierPositionStore.open({ path: location.path });
    case 'postgres':
      return PostgresNotifierPositionStore.open({ connectionString: location.connectionString, schema: location.schema });
    default: {
      const unreachable: never = location;
      throw new Error(`unhandled store ${JSON.stringify(unreachable)}`);
    }
  }
}
