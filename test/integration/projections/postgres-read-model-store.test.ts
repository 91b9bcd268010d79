import { Client } from 'pg';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import { ProjectionRunner } from '../../../infra/projections/projection-runner';
import { appendSample } from '../../support/sample-evidence';
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

describe('PostgreSQL read models: the checkpoint told to other processes', () => {
  it('given a process listening, when a projector commits a batch, then its new checkpoint is notified with the commit', async () => {
    const schema = freshSchemaName('projections_notify');
    const url = `${POSTGRES_URL}?schema=${schema}`;
    const events = await openEventStore(url, { pollIntervalMs: 20, poolSize: 3 });
    const readModels = await openReadModelStore(url);
    const listener = new Client({ connectionString: POSTGRES_URL });
    await listener.connect();
    const runner = new ProjectionRunner(events, readModels, { holder: 'notify-test', retryMs: 50, pollIntervalMs: 20 });
    try {
      await appendSample(events);
      const head = (await events.head())?.position ?? 0;
      const told = new Promise<number>((resolve) =>
        listener.on('notification', (n) => {
          if (Number(n.payload) === head) resolve(head);
        }),
      );
      await listener.query(`LISTEN "aims_projection_${schema}"`);
      runner.start();
      expect(await told).toBe(head);
      expect((await readModels.status()).checkpoint).toBe(head);
    } finally {
      await runner.stop();
      await listener.end();
      await readModels.close();
      await events.close();
      await dropSchema(schema);
    }
  });
});
