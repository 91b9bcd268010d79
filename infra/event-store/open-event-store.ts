/**
 * Opens the evidence store named by a URL (AIMS_EVENT_STORE_URL):
 *   sqlite:<path>                                  the embedded store, e.g. sqlite:./data/evidence.db
 *   postgres://user@host:port/database[?schema=s&pool_size=n]
 *                                                  PostgreSQL (also postgresql://); tables in schema s
 *                                                  (default public); at most n connections in each of the
 *                                                  process's pools (evidence, tokens, read models, content;
 *                                                  default 10 for the evidence and 4 for the others);
 *                                                  other parameters go to pg as given
 * Anything else is refused with UnsupportedEventStoreUrlError. The schema is created or migrated on open
 * (unless `migrate: false`), or by migrateEventStore (`aims evidence migrate`).
 */
import { UnsupportedEventStoreUrlError } from '../../domain/evidence/evidence-errors';
import type { EventStore } from '../ports/event-store.port';
import { PostgresEventStore } from './postgres-event-store';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from './sqlite-event-store';
import { migrateSqlite } from './sqlite-migrations';
import { PersonalDataEventStore } from '../personal-data/personal-data-event-store';
import { completePendingErasures } from '../personal-data/erase-subject';
import { loadKek } from '../personal-data/subject-cipher';
import { PostgresSubjectKeyStore, SqliteSubjectKeyStore, type SubjectKeyStore } from '../personal-data/subject-key-store';

export interface OpenEventStoreOptions {
  /** Subscription polling interval for appends made by other processes. */
  pollIntervalMs?: number;
  /** PostgreSQL pool size. */
  poolSize?: number;
  /** Migrate a schema that is behind on open (default true); false: refuse to open it (AIMS_EVENT_STORE_MIGRATE). */
  migrate?: boolean;
  /**
   * The personal-data key (config.personalData): when one is set, the store seals personal fields on
   * append and opens them on read (docs/personal-data.md); unset, the store is as before.
   */
  personalData?: { key?: string; keyFile?: string };
}

export type EventStoreLocation =
  { kind: 'sqlite'; path: string } | { kind: 'postgres'; connectionString: string; schema: string; poolSize?: number };

/** The most connections `pool_size` may ask for in one pool (PostgreSQL's own default max_connections is 100). */
export const MAX_POOL_SIZE = 100;

/** Parses an evidence store URL without opening anything. */
export function parseEventStoreUrl(url: string): EventStoreLocation {
  if (typeof url !== 'string' || url.trim() === '') throw new UnsupportedEventStoreUrlError(String(url), 'it is empty');
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw new UnsupportedEventStoreUrlError(url, 'the path after sqlite: is missing');
    if (path.startsWith('//')) {
      throw new UnsupportedEventStoreUrlError(url, 'write sqlite:<path> (e.g. sqlite:/var/lib/aims/evidence.db), not sqlite://');
    }
    return { kind: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new UnsupportedEventStoreUrlError(url, 'it is not a valid URL');
    }
    if (parsed.hostname === '' && !parsed.searchParams.has('host')) throw new UnsupportedEventStoreUrlError(url, 'the host is missing');
    const schema = parsed.searchParams.get('schema') ?? 'public';
    parsed.searchParams.delete('schema');
    const poolSize = parsed.searchParams.get('pool_size');
    parsed.searchParams.delete('pool_size');
    if (poolSize === null) return { kind: 'postgres', connectionString: parsed.toString(), schema };
    // Several API and worker processes share one server's max_connections: the operator sizes each pool.
    if (!/^[1-9][0-9]*$/.test(poolSize) || Number(poolSize) > MAX_POOL_SIZE) {
      throw new UnsupportedEventStoreUrlError(url, `pool_size must be a whole number from 1 to ${MAX_POOL_SIZE}`);
    }
    return { kind: 'postgres', connectionString: parsed.toString(), schema, poolSize: Number(poolSize) };
  }
  throw new UnsupportedEventStoreUrlError(url, 'the scheme is neither sqlite: nor postgres://');
}

export async function openEventStore(url: string, options: OpenEventStoreOptions = {}): Promise<EventStore> {
  const kek = options.personalData ? loadKek(options.personalData) : null;
  const stored = await openStoredEvidence(url, options);
  if (kek === null) return stored;
  let keys: SubjectKeyStore;
  try {
    const location = parseEventStoreUrl(url);
    keys =
      location.kind === 'sqlite'
        ? SqliteSubjectKeyStore.open(location.path)
        : await PostgresSubjectKeyStore.open({ connectionString: location.connectionString, schema: location.schema });
  } catch (error) {
    await stored.close();
    throw error;
  }
  const store = new PersonalDataEventStore(stored, keys, kek);
  // An erasure a crash left half done is finished before anything reads (its fields already read "[erased]").
  try {
    await completePendingErasures(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

async function openStoredEvidence(url: string, options: OpenEventStoreOptions): Promise<EventStore> {
  const location = parseEventStoreUrl(url);
  switch (location.kind) {
    case 'sqlite':
      return SqliteEventStore.open({ path: location.path, pollIntervalMs: options.pollIntervalMs, migrate: options.migrate });
    case 'postgres':
      return PostgresEventStore.open({
        connectionString: location.connectionString,
        schema: location.schema,
        pollIntervalMs: options.pollIntervalMs,
        poolSize: options.poolSize ?? location.poolSize,
        migrate: options.migrate,
      });
    default: {
      const unreachable: never = location;
      throw new Error(`unhandled store ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * `aims evidence migrate`: brings the store's schema to the current version; on PostgreSQL, given an
 * appending role, also grants it what appends need and nothing more (docs/database-roles.md).
 */
export async function migrateEventStore(
  url: string,
  options: { appRole?: string } = {},
): Promise<{ kind: EventStore['kind']; applied: number[] }> {
  const location = parseEventStoreUrl(url);
  if (location.kind === 'postgres') {
    const { applied } = await PostgresEventStore.migrate({
      connectionString: location.connectionString,
      schema: location.schema,
      appRole: options.appRole,
    });
    return { kind: 'postgres', applied };
  }
  if (options.appRole !== undefined)
    throw new UnsupportedEventStoreUrlError(url, 'an appending role applies to PostgreSQL only (SQLite has no roles)');
  fs.mkdirSync(path.dirname(path.resolve(location.path)), { recursive: true });
  const db = new Database(location.path, { timeout: 10_000 });
  try {
    return { kind: 'sqlite', applied: migrateSqlite(db) };
  } finally {
    db.close();
  }
}
