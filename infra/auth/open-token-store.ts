/** Opens the token store that lives in the database named by an evidence store URL (AIMS_EVENT_STORE_URL). */
import { parseEventStoreUrl } from '../event-store/open-event-store';
import type { TokenStore } from '../ports/token-store.port';
import { PostgresTokenStore } from './postgres-token-store';
import { SqliteTokenStore } from './sqlite-token-store';

export async function openTokenStore(eventStoreUrl: string): Promise<TokenStore> {
  const location = parseEventStoreUrl(eventStoreUrl);
  switch (location.kind) {
    case 'sqlite':
      return SqliteTokenStore.open({ path: location.path });
    case 'postgres':
      return PostgresTokenStore.open({ connectionString: location.connectionString, schema: location.schema, poolSize: location.poolSize });
    default: {
      const unreachable: never = location;
      throw new Error(`unhandled store ${JSON.stringify(unreachable)}`);
    }
  }
}
