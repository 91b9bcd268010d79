/** Opens the read models that live in the database named by an evidence store URL (AIMS_EVENT_STORE_URL). */
import { parseEventStoreUrl } from '../event-store/open-event-store';
import type { AnyReadModel, ReadModelStore } from '../ports/read-model-store.port';
import { PostgresReadModelStore } from './postgres-read-model-store';
import { READ_MODELS } from './read-models';
import { SqliteReadModelStore } from './sqlite-read-model-store';

export async function openReadModelStore(eventStoreUrl: string, models: readonly AnyReadModel[] = READ_MODELS): Promise<ReadModelStore> {
  const location = parseEventStoreUrl(eventStoreUrl);
  switch (location.kind) {
    case 'sqlite':
      return SqliteReadModelStore.open({ path: location.path, models });
    case 'postgres':
      return PostgresReadModelStore.open({
        connectionString: location.connectionString,
        schema: location.schema,
        models,
        poolSize: location.poolSize,
      });
    default: {
      const unreachable: never = location;
      throw new Error(`unhandled store ${JSON.stringify(unreachable)}`);
    }
  }
}
