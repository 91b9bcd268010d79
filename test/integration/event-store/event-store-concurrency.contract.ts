/**
 * Schema migrations, concurrent writers and crash safety on every adapter (split from
 * event-store.contract.ts, which has the harness and the shared helpers).
 */
import { type EventStore } from '../../../infra/ports/event-store.port';
import { collect, type EventStoreHarness, newEvent, sleep, spawnWriter, waitForLine } from './event-store.contract';

export function eventStoreConcurrencyContract(adapterName: string, createHarness: () => Promise<EventStoreHarness>): void {
  describe(`evidence store contract, schema, concurrency and crashes: ${adapterName}`, () => {
    let harness: EventStoreHarness;
    let store: EventStore;
    const extraStores: EventStore[] = [];
    const openAnother = async (options?: { pollIntervalMs?: number }): Promise<EventStore> => {
      const another = await harness.open(options);
      extraStores.push(another);
      return another;
    };

    beforeEach(async () => {
      harness = await createHarness();
      store = await harness.open({ pollIntervalMs: 20 });
    });

    afterEach(async () => {
      await Promise.all([store, ...extraStores.splice(0)].map((s) => s.close()));
      await harness.dispose();
    });

    describe('schema', () => {
      it('given a migrated store, when opened again twice at once, then migrations are not repeated and the evidence is intact', async () => {
        await store.append('ai-system-1', [newEvent()]);
        await Promise.all([openAnother(), openAnother()]);
        const tamper = await harness.tamper();
        try {
          const rows = await tamper.query('SELECT version FROM evidence_schema_migrations ORDER BY version');
          expect(rows.map((r) => Number(r.version))).toEqual(harness.schemaVersions);
        } finally {
          await tamper.close();
        }
        expect(await store.verify()).toMatchObject({ intact: true, eventsChecked: 1 });
      });
    });

    describe('concurrency', () => {
      it('given 8 writers on one stream, when each round they all append at the same expected revision, then exactly one wins per revision', async () => {
        const writers = [store, ...(await Promise.all(Array.from({ length: 3 }, () => openAnother())))];
        for (let revision = -1; revision < 4; revision++) {
          const attempts = await Promise.allSettled(
            Array.from({ length: 8 }, (_, i) =>
              writers[i % writers.length].append('ai-system-1', [newEvent('AiSystemChanged', { writer: i })], {
                expectedRevision: revision < 0 ? 'no_stream' : revision,
              }),
            ),
          );
          const winners = attempts.filter((a) => a.status === 'fulfilled');
          const losers = attempts.flatMap((a) => (a.status === 'rejected' ? [a.reason as unknown] : []));
          expect(winners).toHaveLength(1);
          expect(losers).toHaveLength(7);
          for (const loser of losers) expect(loser).toMatchObject({ code: 'wrong-expected-revision', actualRevision: revision + 1 });
        }
        expect((await collect(store.readStream('ai-system-1'))).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
        expect(await store.verify()).toMatchObject({ intact: true, eventsChecked: 5 });
      });

      it('given many writers on many streams, when readers poll and subscribe meanwhile, then they see the global order gap-free and never an event behind them', async () => {
        // given
        const writers = await Promise.all(Array.from({ length: 4 }, () => openAnother()));
        const reader = await openAnother({ pollIntervalMs: 5 });
        const pollViolations: string[] = [];
        const subscriptionViolations: string[] = [];
        let writing = true;
        let polledTo = 0;
        // A polling reader: every read starts right after what it has seen and must continue it exactly.
        const poller = (async () => {
          for (;;) {
            const finalRound = !writing;
            for await (const event of reader.readAll({ fromPosition: polledTo + 1, pageSize: 7 })) {
              if (event.position !== polledTo + 1) pollViolations.push(`after ${polledTo} came ${event.position}`);
              polledTo = event.position;
            }
            if (finalRound) return;
            await sleep(1);
          }
        })();
        const subscription = reader.subscribe({ pageSize: 5 });
        let subscribedTo = 0;
        const subscriber = (async () => {
          for await (const event of subscription) {
            if (event.position !== subscribedTo + 1) subscriptionViolations.push(`after ${subscribedTo} came ${event.position}`);
            subscribedTo = event.position;
          }
        })();
        // when: 16 concurrent writers (4 instances x 4) append 1-3 events to their own streams
        await Promise.all(
          Array.from({ length: 16 }, async (_, w) => {
            for (let k = 0; k < 12; k++) {
              const size = 1 + ((w + k) % 3);
              await writers[w % 4].append(
                `load-w${w}`,
                Array.from({ length: size }, (__, i) => newEvent('ControlTested', { w, k, i })),
              );
            }
          }),
        );
        writing = false;
        await poller;
        const total = (await store.head())!.position;
        while (subscribedTo < total) await sleep(5);
        await subscription.close();
        await subscriber;
        // then
        expect(pollViolations).toEqual([]);
        expect(subscriptionViolations).toEqual([]);
        expect(polledTo).toBe(total);
        expect(total).toBe(16 * 12 * 2);
        expect(await store.verify()).toMatchObject({ intact: true, eventsChecked: total });
      });
    });

    describe('crash safety', () => {
      it('given a writer process killed while it holds the write lock mid-batch, when the store is reopened, then the whole batch or none of it is there and the chain verifies', async () => {
        // given
        await store.append('ai-system-1', [newEvent(), newEvent()]);
        const batchSize = 4000;
        const child = spawnWriter(['big-batch', harness.url, 'crash-1', String(batchSize)]);
        const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
          child.on('exit', (code, signal) => resolve(signal ?? code)),
        );
        const done = waitForLine(child, (line) => line.startsWith('done'));
        done.catch(() => undefined);
        await waitForLine(child, (line) => line === 'ready');
        // when: killed at the moment it is seen holding the write lock
        const stopWaiting = new AbortController();
        const lockSeen = await Promise.race([
          harness.waitUntilWriteLockIsHeld(stopWaiting.signal).then(() => true),
          done.then(
            () => false,
            () => false,
          ),
        ]);
        stopWaiting.abort();
        child.kill('SIGKILL');
        expect(lockSeen).toBe(true);
        expect(await exited).toBe('SIGKILL');
        await harness.waitUntilWriteLockIsFree();
        // then: the Merkle tree covers exactly the events there (read raw, before a store could catch it up)
        const raw = await harness.tamper();
        const [counts] = await raw.query(
          'SELECT (SELECT max(position) FROM evidence_events) AS events, (SELECT max(idx) + 1 FROM evidence_tree_nodes WHERE level = 0) AS leaves',
        );
        await raw.close();
        expect(Number(counts.leaves)).toBe(Number(counts.events));
        const reopened = await openAnother();
        const crashed = await collect(reopened.readStream('crash-1'));
        expect([0, batchSize]).toContain(crashed.length);
        const head = (await reopened.head())!;
        expect(head.position).toBe(2 + crashed.length);
        expect((await reopened.treeHead()).size).toBe(head.position);
        expect(await reopened.verify()).toMatchObject({ intact: true, eventsChecked: head.position });
        // and the store takes appends again
        await expect(reopened.append('ai-system-1', [newEvent()])).resolves.toMatchObject({ lastPosition: head.position + 1 });
      });
    });
  });
}
