/**
 * Schema of the projector's own bookkeeping (the read-model tables themselves are created from their
 * definitions, see read-model-sql.ts): the checkpoint, written in the same transaction as the rows, and
 * on SQLite the lease row that lets one projector at a time write (PostgreSQL uses an advisory lock).
 */
import type { PostgresSchemaMigration } from '../sql/postgres-schema';
import type { SqliteSchemaMigration } from '../sql/sqlite-schema';

export const PROJECTION_MIGRATIONS_TABLE = 'projection_schema_migrations';
/** The single checkpoint row: every read model advances together. */
export const CHECKPOINT_NAME = 'read-models';
/** Advisory-lock class for "the projector" ("AIMP" as int32), paired with the schema's key. */
export const PROJECTOR_LOCK_CLASS = 0x41494d50;

export const SQLITE_PROJECTION_MIGRATIONS: readonly SqliteSchemaMigration[] = [
  {
    version: 1,
    name: 'projection checkpoint and lease',
    sql: `
      CREATE TABLE projection_checkpoints (
        name        TEXT PRIMARY KEY,
        position    INTEGER NOT NULL CHECK (position >= 0),
        fingerprint TEXT NOT NULL,
        updated_at  TEXT
      ) STRICT;
      INSERT INTO projection_checkpoints (name, position, fingerprint, updated_at) VALUES ('${CHECKPOINT_NAME}', 0, '', NULL);
      CREATE TABLE projection_leases (
        name       TEXT PRIMARY KEY,
        holder     TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
];

export const POSTGRES_PROJECTION_MIGRATIONS: readonly PostgresSchemaMigration[] = [
  {
    version: 1,
    name: 'projection checkpoint',
    sql: (s) => `
      CREATE TABLE ${s}.projection_checkpoints (
        name        text COLLATE "C" PRIMARY KEY,
        position    bigint NOT NULL CHECK (position >= 0),
        fingerprint text NOT NULL,
        updated_at  text
      );
      INSERT INTO ${s}.projection_checkpoints (name, position, fingerprint, updated_at) VALUES ('${CHECKPOINT_NAME}', 0, '', NULL);
    `,
  },
];
