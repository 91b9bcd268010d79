/**
 * verify() on every adapter: an intact chain, then each way a chain can be broken around the store (content
 * changed, event removed, order changed, non-canonical text, a consistent rewrite a signed checkpoint shows),
 * each named at its first broken position; progress while it streams.
 */
import { hashEnvelope } from '../../../infra/event-store/evidence-hashing';
import { EVIDENCE_GENESIS_HASH, type EventStore, type VerifyProgress } from '../../../infra/ports/event-store.port';
import { collect, EventStoreHarness, newEvent, type TamperKit } from './event-store.contract';

export function chainVerifyContract(adapterName: string, createHarness: () => Promise<EventStoreHarness>): void {
  describe(`evidence store contract, verify: ${adapterName}`, () => {
    let harness: EventStoreHarness;
    let store: EventStore;

    beforeEach(async () => {
      harness = await createHarness();
      store = await harness.open({ pollIntervalMs: 20 });
    });

    afterEach(async () => {
      await store.close();
      await harness.dispose();
    });

    describe('verify', () => {
      const fill = async (count: number): Promise<void> => {
        for (let i = 0; i < count; i++) await store.append(`ai-system-${i % 3}`, [newEvent('AiSystemChanged', { step: i })]);
      };

      it('given an empty store, when verified, then intact with nothing checked', async () => {
        expect(await store.verify()).toEqual({
          intact: true,
          fromPosition: 1,
          toPosition: 0,
          eventsChecked: 0,
          lastHash: EVIDENCE_GENESIS_HASH,
          genesisHash: EVIDENCE_GENESIS_HASH,
          scope: {
            trustSource: { kind: 'none' },
            proves: ['nothing: there was no event to check'],
            cannotExclude: [
              expect.stringMatching(/consistent rewrite of the whole chain/),
              expect.stringMatching(/deletion of the newest events/),
            ],
          },
        });
      });

      it('given an untouched store, when verified with progress, then intact, the report is plain JSON and progress was reported', async () => {
        await fill(12);
        const progress: VerifyProgress[] = [];
        const report = await store.verify({ progressInterval: 5, onProgress: (p) => progress.push(p) });
        expect(report).toMatchObject({
          intact: true,
          fromPosition: 1,
          toPosition: 12,
          eventsChecked: 12,
          lastHash: (await store.head())!.hash,
        });
        expect(JSON.parse(JSON.stringify(report))).toEqual(report);
        expect(progress.map((p) => p.eventsChecked)).toEqual([5, 10, 12]);
        // without a trust source, the report says what the chain alone cannot show
        expect(report.scope.trustSource).toEqual({ kind: 'none' });
        expect(report.scope.proves.join('\n')).toMatch(/positions 1 to 12 is present, hashes to its recorded hash/);
        expect(report.scope.cannotExclude.join('\n')).toMatch(/consistent rewrite of the whole chain[^]*deletion of the newest events/);
        expect(await store.verify({ fromPosition: 4, toPosition: 9 })).toMatchObject({ intact: true, eventsChecked: 6 });
      });

      it('given the database, when UPDATE or DELETE is tried directly, then the append-only triggers refuse', async () => {
        await fill(2);
        const tamper = await harness.tamper();
        try {
          await expect(tamper.execute(`UPDATE evidence_events SET data = '{"step":99}' WHERE position = 1`)).rejects.toThrow(/append-only/);
          await expect(tamper.execute('DELETE FROM evidence_events WHERE position = 2')).rejects.toThrow(/append-only/);
        } finally {
          await tamper.close();
        }
        expect(await store.verify()).toMatchObject({ intact: true, eventsChecked: 2 });
      });

      describe('given a store of 10 events tampered with directly (triggers dropped first)', () => {
        let tamper: TamperKit;
        beforeEach(async () => {
          await fill(10);
          tamper = await harness.tamper();
          await tamper.dropAppendOnlyTriggers();
        });
        afterEach(() => tamper.close());

        it('when a data column is changed, then verify names its position: content changed', async () => {
          await tamper.execute(`UPDATE evidence_events SET data = '{"step":400}' WHERE position = 4`);
          expect(await store.verify()).toMatchObject({
            intact: false,
            position: 4,
            problem: 'content-changed',
            lastIntactPosition: 3,
            eventsChecked: 3,
          });
        });

        it('when the type, time or prevHash of an event is changed, then verify names its position', async () => {
          await tamper.execute(`UPDATE evidence_events SET recorded_at = '2001-01-01T00:00:00.000Z' WHERE position = 8`);
          expect(await store.verify()).toMatchObject({ intact: false, position: 8, problem: 'content-changed' });
          await tamper.execute(`UPDATE evidence_events SET prev_hash = '${'f'.repeat(64)}' WHERE position = 6`);
          expect(await store.verify()).toMatchObject({ intact: false, position: 6, problem: 'content-changed' });
          await tamper.execute(`UPDATE evidence_events SET type = 'Nothing' WHERE position = 2`);
          expect(await store.verify()).toMatchObject({ intact: false, position: 2, problem: 'content-changed' });
        });

        it('when a row is deleted, then verify names its position: event missing', async () => {
          await tamper.execute('DELETE FROM evidence_events WHERE position = 5');
          expect(await store.verify()).toMatchObject({ intact: false, position: 5, problem: 'event-missing', lastIntactPosition: 4 });
        });

        it('when a row is deleted, then reading all up to a position past the hole still stops at that position', async () => {
          await tamper.execute('DELETE FROM evidence_events WHERE position = 5');
          expect((await collect(store.readAll({ toPosition: 7 }))).map((e) => e.position)).toEqual([1, 2, 3, 4, 6, 7]);
          expect((await collect(store.readAll({ toPosition: 7, pageSize: 2 }))).map((e) => e.position)).toEqual([1, 2, 3, 4, 6, 7]);
          expect((await collect(store.readAll({ fromPosition: 4, toPosition: 5 }))).map((e) => e.position)).toEqual([4]);
        });

        it('when the first row is deleted, then verify names position 1', async () => {
          await tamper.execute('DELETE FROM evidence_events WHERE position = 1');
          expect(await store.verify()).toMatchObject({ intact: false, position: 1, problem: 'event-missing' });
        });

        it('when a row is deleted and later positions renumbered to hide it, then verify still names the position: event missing', async () => {
          await tamper.execute('DELETE FROM evidence_events WHERE position = 7');
          for (const position of [8, 9, 10])
            await tamper.execute(`UPDATE evidence_events SET position = ${position - 1} WHERE position = ${position}`);
          expect(await store.verify()).toMatchObject({ intact: false, position: 7, problem: 'event-missing' });
        });

        it('when two rows are swapped, then verify names the first: order changed, and where its rightful event is', async () => {
          await tamper.execute('UPDATE evidence_events SET position = 1000000 WHERE position = 3');
          await tamper.execute('UPDATE evidence_events SET position = 3 WHERE position = 8');
          await tamper.execute('UPDATE evidence_events SET position = 8 WHERE position = 1000000');
          expect(await store.verify()).toMatchObject({ intact: false, position: 3, problem: 'order-changed', foundAtPosition: 8 });
        });

        /** Rewrites the last event (position 10) with `text` as its data or metadata and its hash recomputed over it. */
        const rewriteLast = async (column: 'data' | 'metadata', text: (stored: string) => string): Promise<void> => {
          const [row] = await tamper.query('SELECT * FROM evidence_events WHERE position = 10');
          const parts = {
            id: String(row.id),
            stream: String(row.stream),
            type: String(row.type),
            revision: Number(row.revision),
            position: 10,
            recordedAt: String(row.recorded_at),
            dataJson: String(row.data),
            metadataJson: String(row.metadata),
            prevHash: String(row.prev_hash),
          };
          const written = text(column === 'data' ? parts.dataJson : parts.metadataJson);
          const hash = hashEnvelope({ ...parts, [column === 'data' ? 'dataJson' : 'metadataJson']: written });
          await tamper.execute(
            `UPDATE evidence_events SET ${column} = '${written.replace(/'/g, "''")}', hash = '${hash}' WHERE position = 10`,
          );
        };

        it.each<[string, 'data' | 'metadata', (stored: string) => string]>([
          ['a duplicated member', 'data', () => '{"step":9,"step":9}'],
          ['a duplicated member resolved the other way by other parsers', 'data', () => '{"step":666,"step":9}'],
          ['whitespace', 'data', () => '{"step": 9}'],
          ['a number not in shortest form', 'data', () => '{"step":9.0}'],
          [
            'members in another order',
            'metadata',
            (stored) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(stored) as object).reverse())),
          ],
        ])(
          'when an event is rewritten with %s in its %s and its hash recomputed, then verify refuses it: not canonical',
          async (_what, column, text) => {
            expect(await store.verify()).toMatchObject({ intact: true, eventsChecked: 10 });
            await rewriteLast(column, text);
            const report = await store.verify();
            expect(report).toMatchObject({
              intact: false,
              position: 10,
              problem: 'not-canonical',
              lastIntactPosition: 9,
              eventsChecked: 9,
            });
            expect(report.intact || report.detail).toMatch(
              new RegExp(`hashes as recorded, but its stored ${column} is not canonical JSON`),
            );
          },
        );

        it('when the last rows are deleted, then verify with an anchor noted earlier names the missing tail', async () => {
          const anchor = (await store.head())!;
          const anchored = await store.verify({ anchor: { position: anchor.position, hash: anchor.hash } });
          expect(anchored.scope.trustSource).toEqual({ kind: 'anchor', position: 10, hash: anchor.hash });
          expect(anchored.scope.proves.join('\n')).toMatch(/still reaches the anchor noted earlier \(position 10/);
          expect(anchored.scope.cannotExclude.join('\n')).not.toMatch(/whole chain/);
          await tamper.execute('DELETE FROM evidence_events WHERE position >= 9');
          expect(await store.verify()).toMatchObject({ intact: true, toPosition: 8 });
          expect(await store.verify({ anchor: { position: anchor.position, hash: anchor.hash } })).toMatchObject({
            intact: false,
            position: 9,
            problem: 'event-missing',
          });
        });

        it('when only a later range is verified, then a break before it is not reported but one inside it is', async () => {
          await tamper.execute(`UPDATE evidence_events SET data = '{"step":-1}' WHERE position = 2`);
          await tamper.execute(`UPDATE evidence_events SET data = '{"step":-1}' WHERE position = 9`);
          expect(await store.verify({ fromPosition: 4, toPosition: 8 })).toMatchObject({ intact: true, eventsChecked: 5 });
          expect(await store.verify({ fromPosition: 4 })).toMatchObject({ intact: false, position: 9 });
        });
      });
    });
  });
}
