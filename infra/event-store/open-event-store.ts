/**
 * Opens the evidence store named by a URL (AIMS_EVENT_STORE_URL):
 *   sqlite:<path>                                  the embedded store, e.g. sqlite:./data/evidence.db
 *   postgres://user@host:port/database[?schema=s]  PostgreSQL (also postgresql://); tables in schema s
 *                                                  (default public); other parameters go to pg as given
 * Anything else is refused with UnsupportedEventStoreUrlError. The schema is created or migrated on open.
 */
import { UnsupportedEventStoreUrlError } from '../../domain/evidence/evidence-errors';
import type { EventStore } from '../ports/event-store.port';
import { PostgresEventStore } from './postgres-event-store';
import { SqliteEventStore } from './sqlite-event-store';

export interface OpenEventStoreOptions {
  /** Subscription polling interval for appends made by other processes. */
  pollIntervalMs?: number;
  /** PostgreSQL pool size. */
  poolSize?: number;
}

export type EventStoreLocation = { kind: 'sqlite'; path: string } | { kind: 'postgres'; connectionString: string; schema: string };

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
    return { kind: 'postgres', connectionString: parsed.toString(), schema };
  }
  throw new UnsupportedEventStoreUrlError(url, 'the scheme is neither sqlite: nor postgres://');
}

export async function openEventStore(url: string, options: OpenEventStoreOptions = {}): Promise<EventStore> {
  const location = parseEventStoreUrl(url);
  switch (location.kind) {
    case 'sqlite':
      return SqliteEventStore.open({ path: location.path, pollIntervalMs: options.pollIntervalMs });
    case 'postgres':
      return PostgresEventStore.open({
        connectionString: location.connectionString,
        schema: location.schema,
        pollIntervalMs: options.pollIntervalMs,
        poolSize: options.poolSize,
      });
    default: {
      const unreachable: never = location;
      throw new Error(`unhandled store ${JSON.stringify(unreachable)}`);
    }
  }
}
