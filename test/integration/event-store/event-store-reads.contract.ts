/**
 * Reads on every adapter: by stream and in global order, as of a position or a time, and the catch-up
 * subscription (split from event-store.contract.ts, which has the harness and the shared helpers).
 */
import { type EventStore, InvalidReadOptionsError, type RecordedEvidenceEvent } from '../../../infra/ports/event-store.port';
import { auditorHash, caught, collect, type EventStoreHarness, newEvent, sleep } from './event-store.contract';

export function eventStoreReadsContract(adapterName: string, createHarness: () => Promise<EventStoreHarness>): void {
  describe(`evidence store contract, reads: ${adapterName}`, () => {
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

    describe('reads', () => {
      beforeEach(async () => {
        for (let i = 0; i < 7; i++) await store.append('ai-system-1', [newEvent('AiSystemChanged', { step: i })]);
        await store.append('ai-system-2', [newEvent('AiSystemRegistered')]);
        await store.append('risk-1', [newEvent('RiskIdentified'), newEvent('RiskTreated')]);
        await store.append('ai-systemic-1', [newEvent('Unrelated')]);
      });

      it('given a stream, when read forwards in pages of 2 from revision 3, then revisions 3..6 in order', async () => {
        const events = await collect(store.readStream('ai-system-1', { fromRevision: 3, pageSize: 2 }));
        expect(events.map((e) => e.revision)).toEqual([3, 4, 5, 6]);
        expect(events.map((e) => e.data.step)).toEqual([3, 4, 5, 6]);
      });

      it('given a stream, when read backwards from the end and from revision 4 with maxCount, then newest first', async () => {
        expect((await collect(store.readStream('ai-system-1', { direction: 'backwards', pageSize: 3 }))).map((e) => e.revision)).toEqual([
          6, 5, 4, 3, 2, 1, 0,
        ]);
        expect(
          (await collect(store.readStream('ai-system-1', { direction: 'backwards', fromRevision: 4, maxCount: 3, pageSize: 2 }))).map(
            (e) => e.revision,
          ),
        ).toEqual([4, 3, 2]);
      });

      it('given a stream that does not exist, when read, then nothing and its revision is null', async () => {
        expect(await collect(store.readStream('ai-system-404'))).toEqual([]);
        expect(await store.streamRevision('ai-system-404')).toBeNull();
        expect(await store.streamRevision('ai-system-1')).toBe(6);
      });

      it('given all events, when read from position 5 in pages of 3, then positions 5..11 in global order', async () => {
        const events = await collect(store.readAll({ fromPosition: 5, pageSize: 3 }));
        expect(events.map((e) => e.position)).toEqual([5, 6, 7, 8, 9, 10, 11]);
      });

      it('given categories, when reading all filtered by category ai-system, then only its streams (not ai-systemic)', async () => {
        const events = await collect(store.readAll({ categories: ['ai-system'], pageSize: 2 }));
        expect(new Set(events.map((e) => e.stream))).toEqual(new Set(['ai-system-1', 'ai-system-2']));
        expect(events).toHaveLength(8);
        expect(events.map((e) => e.position)).toEqual([...events.map((e) => e.position)].sort((a, b) => a - b));
      });

      it('given types, when reading all filtered by type and category, then only those events', async () => {
        expect((await collect(store.readAll({ types: ['RiskTreated', 'AiSystemRegistered'] }))).map((e) => e.type)).toEqual([
          'AiSystemRegistered',
          'RiskTreated',
        ]);
        expect((await collect(store.readAll({ categories: ['risk'], types: ['RiskTreated'] }))).map((e) => e.position)).toEqual([10]);
      });

      it('given a readAll in progress, when events are appended meanwhile, then it stops at the head it started from', async () => {
        const seen: number[] = [];
        for await (const event of store.readAll({ pageSize: 2 })) {
          seen.push(event.position);
          if (event.position === 1) await store.append('risk-2', [newEvent('RiskIdentified')]);
        }
        expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      });

      it.each<[string, () => AsyncIterable<unknown>]>([
        ['pageSize 0', () => store.readAll({ pageSize: 0 })],
        ['fromPosition 0', () => store.readAll({ fromPosition: 0 })],
        ['a bad category', () => store.readAll({ categories: ['bad category'] })],
        ['a bad direction', () => store.readStream('ai-system-1', { direction: 'sideways' as never })],
        ['a bad as-of time', () => store.readStream('ai-system-1', { asOf: { time: 'yesterday-ish' } })],
      ])('given %s, when reading, then InvalidReadOptionsError', async (_name, read) => {
        expect(await caught(() => collect(read()))).toBeInstanceOf(InvalidReadOptionsError);
      });
    });

    describe('as of a position or a time', () => {
      const reducer = {
        initial: { steps: [] as number[] },
        evolve: (state: { steps: number[] }, event: RecordedEvidenceEvent) => ({ steps: [...state.steps, event.data.step as number] }),
      };

      it('given a stream appended over time, when its state is asked as of a position and as of a time, then later events are left out', async () => {
        // given
        const first = await store.append('ai-system-1', [
          newEvent('AiSystemChanged', { step: 0 }),
          newEvent('AiSystemChanged', { step: 1 }),
        ]);
        await store.append('risk-1', [newEvent('RiskIdentified')]);
        const [firstEvent] = await collect(store.readAll({ maxCount: 1 }));
        await sleep(15); // only so the next batch is recorded at a later millisecond
        await store.append('ai-system-1', [newEvent('AiSystemChanged', { step: 2 })]);
        // when / then: as of a position
        const atPosition = await store.aggregateStream('ai-system-1', reducer, { asOf: { position: first.lastPosition + 1 } });
        expect(atPosition).toMatchObject({ state: { steps: [0, 1] }, revision: 1, position: 2 });
        // as of a time (the first batch's recordedAt, as text and as a Date)
        expect((await store.aggregateStream('ai-system-1', reducer, { asOf: { time: firstEvent.recordedAt } })).state.steps).toEqual([
          0, 1,
        ]);
        expect((await store.aggregateStream('ai-system-1', reducer, { asOf: { time: new Date(firstEvent.recordedAt) } })).revision).toBe(1);
        expect(await store.streamRevision('ai-system-1', { time: firstEvent.recordedAt })).toBe(1);
        // now
        expect((await store.aggregateStream('ai-system-1', reducer)).state.steps).toEqual([0, 1, 2]);
        // before anything
        expect(await store.aggregateStream('ai-system-1', reducer, { asOf: { position: 0 } })).toEqual({
          stream: 'ai-system-1',
          state: { steps: [] },
          revision: null,
          position: null,
          recordedAt: null,
        });
        expect(await store.streamRevision('ai-system-1', { time: '2000-01-01T00:00:00Z' })).toBeNull();
      });

      it("given a chain tip recorded later than the clock (the clock stepped back), when appending, then the new events keep the tip's time", async () => {
        // given: the tip's time moved an hour ahead, as if the clock had been there when it was recorded
        await store.append('ai-system-1', [newEvent()]);
        const later = new Date(Date.now() + 3_600_000).toISOString();
        const tamper = await harness.tamper();
        try {
          await tamper.dropAppendOnlyTriggers();
          await tamper.execute(`UPDATE evidence_events SET recorded_at = '${later}' WHERE position = 1`);
        } finally {
          await tamper.close();
        }
        // when: another instance (which has read nothing yet) and this one append
        const other = await openAnother();
        await other.append('risk-1', [newEvent('RiskIdentified')]);
        await store.append('ai-system-1', [newEvent('AiSystemChanged'), newEvent('AiSystemChanged')]);
        // then
        const all = await collect(store.readAll());
        expect(all.map((e) => e.recordedAt)).toEqual([later, later, later, later]);
        expect(all.slice(1).map((e) => e.hash)).toEqual(all.slice(1).map((e) => auditorHash(e)));
        expect(all[1].prevHash).toBe(all[0].hash);
      });

      it('given events, when read, then recordedAt never decreases along the global order', async () => {
        for (let i = 0; i < 5; i++) await store.append(`ai-system-${i}`, [newEvent(), newEvent()]);
        const times = (await collect(store.readAll())).map((e) => e.recordedAt);
        expect(times).toEqual([...times].sort());
      });
    });

    describe('catch-up subscription', () => {
      it('given recorded events, when subscribing from checkpoint 0, then it catches up and goes on with live appends from this and another instance', async () => {
        // given
        await store.append('ai-system-1', [newEvent(), newEvent()]);
        const other = await openAnother();
        const subscription = store.subscribe({ fromCheckpoint: 0, pageSize: 1 });
        const received: number[] = [];
        // when
        const consumer = (async () => {
          for await (const event of subscription) {
            received.push(event.position);
            if (event.position === 2) await store.append('ai-system-1', [newEvent()]);
            if (event.position === 3) await other.append('risk-1', [newEvent('RiskIdentified')]);
            if (event.position === 4) break;
          }
        })();
        await consumer;
        // then
        expect(received).toEqual([1, 2, 3, 4]);
        expect(subscription.checkpoint).toBe(4);
      });

      it('given a checkpoint and filters, when subscribing, then only later matching events arrive, and close ends the iteration', async () => {
        await store.append('ai-system-1', [newEvent(), newEvent()]);
        await store.append('risk-1', [newEvent('RiskIdentified')]);
        const subscription = store.subscribe({
          fromCheckpoint: 1,
          categories: ['risk', 'ai-system'],
          types: ['AiSystemRegistered', 'RiskIdentified'],
        });
        const received: string[] = [];
        const consumer = (async () => {
          for await (const event of subscription) {
            received.push(`${event.position}:${event.stream}`);
            if (received.length === 3) await subscription.close();
          }
        })();
        await store.append('project-1', [newEvent('AiSystemRegistered')]);
        await store.append('risk-2', [newEvent('RiskTreated')]);
        await store.append('risk-3', [newEvent('RiskIdentified')]);
        await consumer;
        expect(received).toEqual(['2:ai-system-1', '3:risk-1', '6:risk-3']);
      });

      it('given an idle subscription, when aborted by its signal, then the iteration ends', async () => {
        const controller = new AbortController();
        const subscription = store.subscribe({ signal: controller.signal });
        const consumer = collect(subscription);
        await sleep(30);
        controller.abort();
        await expect(consumer).resolves.toEqual([]);
      });
    });
  });
}
