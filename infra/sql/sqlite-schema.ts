/**
 * Versioned migrations for the engine's own tables that live beside the evidence in one SQLite file
 * (API tokens, projections). Each family records its versions in its own table and runs inside one
 * IMMEDIATE transaction with the check, so two processes opening the file at once are safe.
 * Never edit a released migration: add one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';

export interface SqliteSchemaMigration {
  version: number;
  name: string;
  sql: string;
}

/** Raised when the file was migrated by a newer version of the engine than this one. */
export class SchemaTooNewError extends Error {
  constructor(
    readonly family: string,
    readonly found: number,
    readonly known: number,
  ) {
    super(`The ${family} schema is at version ${found}, newer than this engine knows (${known}); upgrade the engine.`);
    this.name = 'SchemaTooNewError';
  }
}

export function migrateSqliteSchema(
  db: Database.Database,
  family: string,
  table: string,
  migrations: readonly SqliteSchemaMigration[],
): number[] {
  const run = db.transaction((): number[] => {
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
    const applied = new Set((db.prepare(`SELECT version FROM ${table}`).all() as { version: number }[]).map((r) => r.version));
    const latest = Math.max(0, ...migrations.map((m) => m.version));
    const newest = Math.max(0, ...applied);
    if (newest > latest) throw new SchemaTooNewError(family, newest, latest);
    const done: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      db.exec(migration.sql);
      db.prepare(`INSERT INTO ${table} (version, name, applied_at) VALUES (?, ?, ?)`).run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
      done.push(migration.version);
    }
    return done;
  });
  return run.immediate();
}

/** Opens the store's SQLite file with the settings every connection to it uses (WAL, busy wait). */
export function openSqliteFile(file: string, options: { busyTimeoutMs?: number; synchronous?: 'FULL' | 'NORMAL' } = {}): Database.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file, { timeout: options.busyTimeoutMs ?? 10_000 });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
