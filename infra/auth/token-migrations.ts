/**
 * Schema of the API-token table, one migration list per dialect, recorded in auth_schema_migrations.
 * The index keeps a name unique among active tokens; that a name is issued only once, ever (compared as
 * its normalised identity), is checked in the issuing transaction (token-store-base.ts), since rows from
 * before that rule may repeat a name.
 */
import type { PostgresSchemaMigration } from '../sql/postgres-schema';
import type { SqliteSchemaMigration } from '../sql/sqlite-schema';

export const AUTH_MIGRATIONS_TABLE = 'auth_schema_migrations';

export const SQLITE_TOKEN_MIGRATIONS: readonly SqliteSchemaMigration[] = [
  {
    version: 1,
    name: 'api tokens (salted hashes)',
    sql: `
      CREATE TABLE api_tokens (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        roles       TEXT NOT NULL,
        salt        TEXT NOT NULL,
        secret_hash TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        created_by  TEXT,
        expires_at  TEXT,
        revoked_at  TEXT,
        revoked_by  TEXT
      ) STRICT;
      CREATE UNIQUE INDEX api_tokens_active_name ON api_tokens (name) WHERE revoked_at IS NULL;
    `,
  },
];

export const POSTGRES_TOKEN_MIGRATIONS: readonly PostgresSchemaMigration[] = [
  {
    version: 1,
    name: 'api tokens (salted hashes)',
    sql: (s) => `
      CREATE TABLE ${s}.api_tokens (
        id          text COLLATE "C" PRIMARY KEY,
        name        text COLLATE "C" NOT NULL,
        roles       text NOT NULL,
        salt        text NOT NULL,
        secret_hash text NOT NULL,
        created_at  text COLLATE "C" NOT NULL,
        created_by  text,
        expires_at  text COLLATE "C",
        revoked_at  text COLLATE "C",
        revoked_by  text
      );
      CREATE UNIQUE INDEX api_tokens_active_name ON ${s}.api_tokens (name) WHERE revoked_at IS NULL;
    `,
  },
];
