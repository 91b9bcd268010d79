/**
 * Versioned migrations for the engine's own tables that live beside the evidence in its PostgreSQL schema
 * (API tokens, projections). One transaction under the schema's transaction-level migration lock,
 * each migration once, so two processes starting at once are safe. Never edit a released migration.
 */
import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { MIGRATION_LOCK_CLASS } from '../event-store/postgres-migrations';
import { SchemaTooNewError } from './sqlite-schema';

export { SchemaTooNewError };

export interface PostgresSchemaMigration {
  version: number;
  name: string;
  /** SQL for the schema named by the (already quoted) identifier. */
  sql(schema: string): string;
}

/** Same rule as the evidence store's schemas: safe to quote and to derive lock keys from. */
export const POSTGRES_SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;

/** A stable int32 per schema name, paired with a per-purpose class id in advisory locks. */
export function schemaLockKey(schema: string): number {
  return createHash('sha256').update(schema).digest().readInt32BE(0);
}

export function quoteSchema(schema: string): string {
  if (!POSTGRES_SCHEMA_NAME.test(schema)) throw new Error(`unsafe schema name ${JSON.stringify(schema)}`);
  return `"${schema}"`;
}

export async function migratePostgresSchema(
  client: PoolClient,
  options: { family: string; schema: string; table: string; migrations: readonly PostgresSchemaMigration[] },
): Promise<number[]> {
  const s = quoteSchema(options.schema);
  await client.query('BEGIN');
  try {
    // The evidence store's migration lock: every family's migrations in one schema run one at a time, so
    // concurrent first starts cannot race on CREATE SCHEMA either.
    await client.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [MIGRATION_LOCK_CLASS, schemaLockKey(options.schema)]);
    // Only when missing: CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when the schema
    // exists, which a role that does not own the evidence tables lacks (docs/database-roles.md).
    if ((await client.query<{ missing: boolean }>('SELECT to_regnamespace($1) IS NULL AS missing', [s])).rows[0].missing) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    }
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.${options.table} (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const applied = new Set(
      (await client.query<{ version: number }>(`SELECT version FROM ${s}.${options.table}`)).rows.map((r) => r.version),
    );
    const latest = Math.max(0, ...options.migrations.map((m) => m.version));
    const newest = Math.max(0, ...applied);
    if (newest > latest) throw new SchemaTooNewError(options.family, newest, latest);
    const done: number[] = [];
    for (const migration of [...options.migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql(s));
      await client.query(`INSERT INTO ${s}.${options.table} (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      done.push(migration.version);
    }
    await client.query('COMMIT');
    return done;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
