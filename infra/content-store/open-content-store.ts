/** Opens the content store that lives in the database named by an evidence store URL (AIMS_EVENT_STORE_URL). */
import { parseEventStoreUrl } from '../event-store/open-event-store';
import type { ContentLimits, ContentStore } from '../ports/content-store.port';
import { PostgresContentStore } from './postgres-content-store';
import { SqliteContentStore } from './sqlite-content-store';

export async function openContentStore(eventStoreUrl: string, limits?: ContentLimits): Promise<ContentStore> {
  const location = parseEventStoreUrl(eventStoreUrl);
  switch (location.kind) {
    case 'sqlite':
      return SqliteContentStore.open({ path: location.path, ...(limits === undefined ? {} : { limits }) });
    case 'postgres':
      return PostgresContentStore.open({
        connectionString: location.connectionString,
        schema: location.schema,
        poolSize: location.poolSize,
        ...(limits === undefined ? {} : { limits }),
      });
    default: {
      const unreachable: never = location;
      throw new Error(`unhandled store ${JSON.stringify(unreachable)}`);
    }
  }
}
