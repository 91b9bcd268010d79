import { openEventStore } from '../../../infra/event-store/open-event-store';
import { openReadModelStore } from '../../../infra/projections/open-read-model-store';
import { dropSchema, freshSchemaName, POSTGRES_URL } from '../../support/postgres';
import { readModelStoreContract } from './read-model-store.contract';

/** Each harness gets its own schema (evidence, read models and all), dropped afterwards. */
readModelStoreContract('PostgreSQL', async () => {
  const schema = freshSchemaName('projections_test');
  const url = `${POSTGRES_URL}?schema=${schema}`;
  return {
    openEvents: () => openEventStore(url, { pollIntervalMs: 20, poolSize: 3 }),
    openReadModels: (models) => openReadModelStore(url, models),
    dispose: () => dropSchema(schema),
  };
});
