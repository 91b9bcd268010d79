/**
 * Several API processes share one PostgreSQL store: each runs a projector, exactly one projects at a time,
 * all serve the same reads, a crashed leader is replaced, and the result equals a rebuild from position 0.
 * Two "processes" here are two sets of stores with their own connections and a runner each; the same with
 * two whole API processes is test/e2e/two-api-processes.e2e.test.ts.
 */
import { Client } from 'pg';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import type { EventStore } from '../../../infra/ports/event-store.port';
import type { ReadModelStore } from '../../../infra/ports/read-model-store.port';
import { openReadModelStore } from '../../../infra/projections/open-read-model-store';
import { ProjectionRunner, rebuildProjections } from '../../../infra/projections/projection-runner';
import { appendSample, asNewEvents } from '../../support/sample-evidence';
import { history, raise } from '../../unit/domain/nonconformity/nonconformity-fixtures';
import { dumpReadModels } from './read-model-store.contract';
import { dropSchema, freshSchemaName, POSTGRES_URL } from '../../support/postgres';

interface ApiProcess {
  events: EventStore;
  readModels: ReadModelStore;
  runner: ProjectionRunner;
}

async function startProcess(url: string, holder: string): Promise<ApiProcess> {
  const events = await openEventStore(url, { pollIntervalMs: 50, poolSize: 3 });
  const readModels = await openReadModelStore(url);
  const runner = new ProjectionRunner(events, readModels, { holder, retryMs: 100, pollIntervalMs: 50, batchSize: 16 });
  runner.start();
  return { events, readModels, runner };
}

async function stopProcess(p: ApiProcess | undefined): Promise<void> {
  if (!p) return;
  await p.runner.stop();
  await p.readModels.close();
  await p.events.close();
}

async function appendNonconformities(store: EventStore, prefix: string, count: number): Promise<number> {
  let last = 0;
  for (let i = 0; i < count; i++) {
    last = (
      await store.append(
        `nonconformity-${prefix}-${i}`,
        asNewEvents(history(raise({ nonconformityId: `${prefix}-${i}`, aiSystemIds: ['credit-scoring'] }))),
      )
    ).lastPosition;
  }
  return last;
}

async function caughtUp(processes: ApiProcess[], position: number): Promise<void> {
  for (const p of processes) {
    if (!(await p.readModels.waitForCheckpoint(position, 30_000)))
      throw new Error(`${p.runner.holder} did not reach ${position}: ${JSON.stringify(p.runner.status())}`);
  }
}

describe('two API processes projecting one PostgreSQL store', () => {
  const schema = freshSchemaName('two_projectors');
  const url = `${POSTGRES_URL}?schema=${schema}`;
  let a: ApiProcess | undefined;
  let b: ApiProcess | undefined;

  afterAll(async () => {
    await stopProcess(a);
    await stopProcess(b);
    await dropSchema(schema);
  });

  it('given two processes appending at once, when both project, then one leads, both read the same rows, a crashed leader is replaced and a rebuild gives the same result', async () => {
    a = await startProcess(url, 'process-a');
    b = await startProcess(url, 'process-b');
    const [lastA, lastB] = await Promise.all([appendSample(a.events), appendNonconformities(b.events, 'nc-b', 15)]);
    const head = Math.max(lastA, lastB);
    await caughtUp([a, b], head);

    // Exactly one projected.
    const statuses = [a.runner.status(), b.runner.status()];
    expect(statuses.filter((s) => s.leading)).toHaveLength(1);
    expect(statuses.filter((s) => s.eventsApplied > 0)).toHaveLength(1);
    expect(statuses.reduce((n, s) => n + s.eventsApplied, 0)).toBe(head);
    const [leader, follower] = a.runner.status().leading ? [a, b] : [b, a];

    // Both serve the same reads.
    const seenByLeader = await dumpReadModels(leader.readModels);
    expect(await dumpReadModels(follower.readModels)).toEqual(seenByLeader);
    expect(seenByLeader.checkpoint).toBe(head);
    expect(seenByLeader.rows.ai_systems).toHaveLength(3);
    expect(seenByLeader.rows.nonconformities).toHaveLength(17);

    // The leader's database session dies (as when its process is killed): the other takes over.
    const admin = new Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    try {
      const killed = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [
        `aims-projector ${leader.runner.holder}`,
      ]);
      expect(killed.rowCount).toBe(1);
    } finally {
      await admin.end();
    }
    const later = await appendNonconformities(leader.events, 'nc-after-crash', 5);
    await caughtUp([a, b], later);
    expect(follower.runner.status()).toMatchObject({ leading: true });
    expect(follower.runner.status().eventsApplied).toBeGreaterThan(0);
    const afterTakeover = await dumpReadModels(follower.readModels);
    expect(afterTakeover.rows.nonconformities).toHaveLength(22);
    expect(await dumpReadModels(leader.readModels)).toEqual(afterTakeover);

    // A rebuild from position 0 (while both keep running) reproduces exactly the same rows.
    const rebuilt = await rebuildProjections(a.events, a.readModels, { holder: 'rebuild', retryMs: 100, pollIntervalMs: 50 });
    expect(rebuilt).toEqual({ checkpoint: later, head: later });
    expect(await dumpReadModels(a.readModels)).toEqual(afterTakeover);
    expect(await dumpReadModels(b.readModels)).toEqual(afterTakeover);
  });
});
