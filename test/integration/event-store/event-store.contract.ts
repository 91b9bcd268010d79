/**
 * The one contract every evidence store adapter must pass. Each adapter's test file calls
 * eventStoreContract() with a harness factory that gives a fresh, empty store, a URL for child processes,
 * and a way to tamper with the tables directly, around the API.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { canonicalize } from '../../../domain/evidence/canonical-json';
import {
  EmptyAppendError,
  EventIdConflictError,
  EventStore,
  EVIDENCE_GENESIS_HASH,
  InvalidEvidenceEventError,
  InvalidExpectedRevisionError,
  InvalidReadOptionsError,
  InvalidStreamNameError,
  JsonObject,
  NewEvidenceEvent,
  RecordedEvidenceEvent,
  WrongExpectedRevisionError,
} from '../../../infra/ports/event-store.port';

export interface TamperKit {
  /** Runs SQL straight on the database (unqualified table names), bypassing the store. */
  execute(sql: string): Promise<void>;
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** Removes the database's append-only triggers, as an attacker with DDL rights would. */
  dropAppendOnlyTriggers(): Promise<void>;
  close(): Promise<void>;
}

export interface EventStoreHarness {
  /** The URL of this store, for openEventStore in a child process. */
  url: string;
  /** Every migration version the adapter knows, in order: what a migrated store records. */
  schemaVersions: number[];
  /** Opens another store instance (another connection or pool) on the same database. */
  open(options?: { pollIntervalMs?: number }): Promise<EventStore>;
  tamper(): Promise<TamperKit>;
  /** Resolves once some writer holds the store's write lock (an append is mid-transaction). */
  waitUntilWriteLockIsHeld(signal: AbortSignal): Promise<void>;
  /** Resolves once no writer holds it (a killed writer's transaction has been rolled back). */
  waitUntilWriteLockIsFree(): Promise<void>;
  dispose(): Promise<void>;
}

const TS_REGISTER = path.join(__dirname, 'ts-register.cjs');
const WRITER_CHILD = path.join(__dirname, 'evidence-writer.child.ts');

export function spawnWriter(args: string[]): ChildProcess {
  return spawn(process.execPath, ['-r', TS_REGISTER, WRITER_CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Resolves with the child's stdout lines as they arrive; `until` picks the line to wait for. */
export function waitForLine(child: ChildProcess, until: (line: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      const line = lines.find(until);
      if (line !== undefined) resolve(line);
    });
    child.on('exit', (code, signal) => reject(new Error(`writer exited (${signal ?? code}) before the expected line; stderr: ${stderr}`)));
  });
}

export function newEvent(type = 'AiSystemRegistered', data: JsonObject = { name: 'credit scoring', riskLevel: 'high' }): NewEvidenceEvent {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: {
      actor: { id: 'user-7', role: 'ai-system-owner' },
      workflowId: 'wf-1',
      runId: 'run-1',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      source: 'contract-test',
    },
  };
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function caught(promise: Promise<unknown> | (() => unknown)): Promise<unknown> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, but the call succeeded');
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The hash as an auditor recomputes it: canonical JSON of the envelope without `hash`, SHA-256, hex. */
function auditorHash(event: RecordedEvidenceEvent): string {
  const { hash: _hash, ...withoutHash } = event;
  return createHash('sha256').update(canonicalize(withoutHash), 'utf8').digest('hex');
}

export function eventStoreContract(adapterName: string, createHarness: () => Promise<EventStoreHarness>): void {
  describe(`evidence store contract: ${adapterName}`, () => {
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

    describe('append and envelope', () => {
      it('given an empty store, when a batch is appended, then revisions, positions and the hash chain are as documented', async () => {
        // given
        const events = [newEvent('AiSystemRegistered'), newEvent('RiskAssessed', { score: 0.25, factors: ['bias', 'drift'] })];
        // when
        const result = await store.append('ai-system-42', events, { expectedRevision: 'no_stream' });
        // then
        expect(result).toEqual({ stream: 'ai-system-42', nextExpectedRevision: 1, lastPosition: 2, alreadyRecorded: false });
        const recorded = await collect(store.readStream('ai-system-42'));
        expect(recorded.map((e) => [e.id, e.type, e.revision, e.position])).toEqual([
          [events[0].id, 'AiSystemRegistered', 0, 1],
          [events[1].id, 'RiskAssessed', 1, 2],
        ]);
        expect(recorded[1].data).toEqual({ score: 0.25, factors: ['bias', 'drift'] });
        expect(recorded[0].metadata).toEqual(events[0].metadata);
        expect(recorded[0].recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        expect(recorded[0].prevHash).toBe(EVIDENCE_GENESIS_HASH);
        expect(recorded[1].prevHash).toBe(recorded[0].hash);
        for (const event of recorded) expect(event.hash).toBe(auditorHash(event));
        expect(await store.head()).toEqual({ position: 2, hash: recorded[1].hash, recordedAt: recorded[1].recordedAt });
      });

      it('given two streams, when appended in turn, then each has its own revisions and the chain is global', async () => {
        await store.append('ai-system-1', [newEvent()]);
        await store.append('risk-1', [newEvent('RiskIdentified')]);
        const result = await store.append('ai-system-1', [newEvent('AiSystemChanged')]);
        expect(result).toMatchObject({ nextExpectedRevision: 1, lastPosition: 3 });
        const all = await collect(store.readAll());
        expect(all.map((e) => [e.stream, e.revision, e.position])).toEqual([
          ['ai-system-1', 0, 1],
          ['risk-1', 0, 2],
          ['ai-system-1', 1, 3],
        ]);
        expect(all[1].prevHash).toBe(all[0].hash);
        expect(all[2].prevHash).toBe(all[1].hash);
      });

      it('given metadata members set to undefined, when appended, then they are simply not recorded', async () => {
        await store.append('ai-system-1', [
          { id: randomUUID(), type: 'AiSystemRegistered', data: {}, metadata: { source: 'api', workflowId: undefined } },
        ]);
        const [event] = await collect(store.readStream('ai-system-1'));
        expect(event.metadata).toEqual({ source: 'api' });
      });

      it("given text that needs escaping or is beyond ASCII, when appended by several instances in turn, then every hash is the auditor's", async () => {
        // given: strings whose canonical form escapes characters, and characters of 2, 3 and 4 UTF-8 bytes
        const tricky = {
          quote: 'say "hi"\\now',
          controls: '\u0000\b\t\n\f\r\u001f\u007f',
          text: 'Crédit ⚖ \u2028 😂',
          nested: [{ ключ: 'значение' }, -0, 1e21],
        };
        const other = await openAnother();
        // when: appends alternate between instances, so each finds the chain moved on by the other
        for (let i = 0; i < 3; i++) {
          await store.append('ai-system_a.b:c@d-1', [
            newEvent('Ai.System_Changed:v2-x', { ...tricky, i }),
            newEvent('RiskAssessed', { i }),
          ]);
          await other.append('risk-2', [
            { id: randomUUID(), type: 'RiskIdentified', data: tricky, metadata: { source: 'ünïcödé 😂', actor: { id: 'ü', role: 'r' } } },
          ]);
        }
        // then
        const all = await collect(store.readAll());
        expect(all.map((e) => e.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
        for (const event of all) expect(event.hash).toBe(auditorHash(event));
        expect(all[0].data).toEqual({ ...tricky, nested: [{ ключ: 'значение' }, 0, 1e21], i: 0 });
        expect(await store.verify()).toMatchObject({ intact: true, eventsChecked: 9 });
      });

      it('given an upper-case UUID, when appended, then the id is recorded in lower case', async () => {
        const id = randomUUID().toUpperCase();
        await store.append('ai-system-1', [{ id, type: 'AiSystemRegistered', data: {} }]);
        const [event] = await collect(store.readStream('ai-system-1'));
        expect(event.id).toBe(id.toLowerCase());
      });
    });

    describe('expected revision', () => {
      it('given an existing stream, when appending with no_stream, then the typed error carries the actual revision', async () => {
        await store.append('ai-system-1', [newEvent(), newEvent()]);
        const error = await caught(store.append('ai-system-1', [newEvent()], { expectedRevision: 'no_stream' }));
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({
          code: 'wrong-expected-revision',
          stream: 'ai-system-1',
          expectedRevision: 'no_stream',
          actualRevision: 1,
        });
      });

      it('given no stream, when appending with stream_exists or an exact revision, then the actual revision is no_stream', async () => {
        expect(await caught(store.append('ai-system-1', [newEvent()], { expectedRevision: 'stream_exists' }))).toMatchObject({
          actualRevision: 'no_stream',
        });
        expect(await caught(store.append('ai-system-1', [newEvent()], { expectedRevision: 0 }))).toMatchObject({
          expectedRevision: 0,
          actualRevision: 'no_stream',
        });
        expect(await store.head()).toBeNull();
      });

      it('given a stream at revision 2, when appending at 2, stream_exists and any, then each succeeds; at 1 it fails with actual 3+', async () => {
        await store.append('ai-system-1', [newEvent(), newEvent(), newEvent()]);
        await expect(store.append('ai-system-1', [newEvent()], { expectedRevision: 2 })).resolves.toMatchObject({
          nextExpectedRevision: 3,
        });
        await expect(store.append('ai-system-1', [newEvent()], { expectedRevision: 'stream_exists' })).resolves.toMatchObject({
          nextExpectedRevision: 4,
        });
        await expect(store.append('ai-system-1', [newEvent()], { expectedRevision: 'any' })).resolves.toMatchObject({
          nextExpectedRevision: 5,
        });
        expect(await caught(store.append('ai-system-1', [newEvent()], { expectedRevision: 1 }))).toMatchObject({ actualRevision: 5 });
      });

      it.each<[string, unknown]>([
        ['a word', 'latest'],
        ['a negative number', -1],
        ['a fraction', 1.5],
        ['NaN', Number.NaN],
        ['a numeric string', '3'],
        ['null', null],
      ])(
        'given %s as expected revision, when appending, then InvalidExpectedRevisionError and nothing written',
        async (_name, expectedRevision) => {
          const error = await caught(store.append('ai-system-1', [newEvent()], { expectedRevision } as never));
          expect(error).toBeInstanceOf(InvalidExpectedRevisionError);
          expect(await store.head()).toBeNull();
        },
      );
    });

    describe('bad input', () => {
      const bad = (patch: Record<string, unknown>): NewEvidenceEvent => ({ ...newEvent(), ...patch });
      const cyclic = (): JsonObject => {
        const data: Record<string, unknown> = { a: 1 };
        data.loop = data;
        return data as JsonObject;
      };

      it.each<[string, () => NewEvidenceEvent, string]>([
        ['an empty type', () => bad({ type: '' }), 'empty-type'],
        ['a blank type', () => bad({ type: '   ' }), 'empty-type'],
        ['a type with spaces', () => bad({ type: 'Risk Assessed' }), 'invalid-type'],
        ['an id that is not a UUID', () => bad({ id: 'evt-1' }), 'invalid-id'],
        ['data that is an array', () => bad({ data: [1, 2] }), 'data-not-object'],
        ['undefined in data', () => bad({ data: { a: undefined } }), 'not-json-serialisable'],
        ['a function in data', () => bad({ data: { f: () => 1 } }), 'not-json-serialisable'],
        ['NaN in data', () => bad({ data: { n: Number.NaN } }), 'not-json-serialisable'],
        ['Infinity in data', () => bad({ data: { n: Number.NEGATIVE_INFINITY } }), 'not-json-serialisable'],
        ['a bigint in data', () => bad({ data: { n: BigInt(7) } }), 'not-json-serialisable'],
        ['a cycle in data', () => bad({ data: cyclic() }), 'not-json-serialisable'],
        ['a non-string workflowId', () => bad({ metadata: { workflowId: 42 } }), 'invalid-metadata'],
        ['an actor without a role', () => bad({ metadata: { actor: { id: 'u1' } } }), 'invalid-metadata'],
        ['an event over 1 MiB', () => bad({ data: { blob: 'x'.repeat(1024 * 1024) } }), 'too-large'],
      ])(
        'given %s as the last event of a batch, when appending, then a typed error and nothing of the batch is written',
        async (_name, make, reason) => {
          // given
          await store.append('ai-system-1', [newEvent()]);
          const headBefore = await store.head();
          // when
          const error = await caught(store.append('ai-system-1', [newEvent(), make()]));
          // then
          expect(error).toBeInstanceOf(InvalidEvidenceEventError);
          expect(error).toMatchObject({ code: 'invalid-evidence-event', index: 1, reason });
          expect(await store.head()).toEqual(headBefore);
        },
      );

      it('given data whose canonical form is exactly 1 MiB, when appending, then it is accepted (the limit is inclusive)', async () => {
        const id = randomUUID();
        const overhead = `{"data":{"blob":""},"id":"${id}","metadata":{},"type":"Big"}`.length;
        await expect(
          store.append('ai-system-1', [{ id, type: 'Big', data: { blob: 'y'.repeat(1024 * 1024 - overhead) } }]),
        ).resolves.toMatchObject({
          lastPosition: 1,
        });
      });

      it('given the same id twice in one batch, when appending, then duplicate-id-in-batch', async () => {
        const event = newEvent();
        expect(await caught(store.append('ai-system-1', [event, { ...event }]))).toMatchObject({
          reason: 'duplicate-id-in-batch',
          index: 1,
        });
      });

      it.each([
        '',
        'nodash',
        '-leading',
        'trailing-',
        'double--dash',
        'spa ce-1',
        'slash/ed-1',
        '1digit-first',
        'ünicode-1',
        `long-${'x'.repeat(300)}`,
      ])('given the stream name %j, when appending, then InvalidStreamNameError', async (stream) => {
        expect(await caught(store.append(stream, [newEvent()]))).toBeInstanceOf(InvalidStreamNameError);
        expect(await store.head()).toBeNull();
      });

      it('given an empty batch, when appending, then EmptyAppendError', async () => {
        expect(await caught(store.append('ai-system-1', []))).toBeInstanceOf(EmptyAppendError);
      });
    });

    describe('idempotency by event id', () => {
      it('given a recorded batch, when the same batch is appended again (a retry), then the first result comes back and nothing is written', async () => {
        // given
        const batch = [newEvent(), newEvent('RiskAssessed')];
        const first = await store.append('ai-system-1', batch, { expectedRevision: 'no_stream' });
        await store.append('risk-9', [newEvent('RiskIdentified')]);
        const headBefore = await store.head();
        // when: the retry still says no_stream, as the lost first attempt did
        const retry = await store.append(
          'ai-system-1',
          batch.map((e) => ({ ...e })),
          { expectedRevision: 'no_stream' },
        );
        // then
        expect(retry).toEqual({ ...first, alreadyRecorded: true });
        expect(await store.head()).toEqual(headBefore);
      });

      it('given a recorded event, when its id is appended with other data, then EventIdConflictError (different-content)', async () => {
        const event = newEvent();
        await store.append('ai-system-1', [event]);
        const error = await caught(store.append('ai-system-1', [{ ...event, data: { name: 'changed' } }]));
        expect(error).toBeInstanceOf(EventIdConflictError);
        expect(error).toMatchObject({
          eventId: event.id,
          reason: 'different-content',
          recorded: { stream: 'ai-system-1', revision: 0, position: 1 },
        });
      });

      it('given a recorded event, when its id is appended to another stream, then EventIdConflictError', async () => {
        const event = newEvent();
        await store.append('ai-system-1', [event]);
        expect(await caught(store.append('ai-system-2', [event]))).toMatchObject({ reason: 'different-content' });
      });

      it('given a recorded event, when a batch mixes it with new events, then different-batch and nothing written', async () => {
        const event = newEvent();
        await store.append('ai-system-1', [event]);
        expect(await caught(store.append('ai-system-1', [event, newEvent()]))).toMatchObject({ reason: 'different-batch' });
        expect((await store.head())!.position).toBe(1);
      });

      it('given an event recorded by another instance on another stream, when this instance appends its id to a stream it has just written, then EventIdConflictError and nothing written', async () => {
        // given: this instance knows ai-system-1 (it wrote it last); another records an event on risk-1
        await store.append('ai-system-1', [newEvent()]);
        const event = newEvent();
        await (await openAnother()).append('risk-1', [event]);
        // when
        const error = await caught(store.append('ai-system-1', [newEvent(), event]));
        // then
        expect(error).toMatchObject({
          eventId: event.id,
          reason: 'different-content',
          recorded: { stream: 'risk-1', revision: 0, position: 2 },
        });
        expect((await store.head())!.position).toBe(2);
        await expect(store.append('ai-system-1', [newEvent()], { expectedRevision: 0 })).resolves.toMatchObject({ lastPosition: 3 });
      });

      it('given a stream another instance appended to since this one wrote it, when this instance appends again, then it decides on the stream as it is', async () => {
        // given: this instance wrote ai-system-1 at revision 0, another then took revision 1
        await store.append('ai-system-1', [newEvent()]);
        await (await openAnother()).append('ai-system-1', [newEvent()]);
        // when / then: an expected revision from before is refused with the actual one, nothing written
        const error = await caught(store.append('ai-system-1', [newEvent()], { expectedRevision: 0 }));
        expect(error).toMatchObject({ name: 'WrongExpectedRevisionError', actualRevision: 1 });
        // when / then: with any, the event goes after the other instance's
        await expect(store.append('ai-system-1', [newEvent()])).resolves.toMatchObject({ nextExpectedRevision: 2, lastPosition: 3 });
        expect((await collect(store.readStream('ai-system-1'))).map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(await store.verify()).toMatchObject({ intact: true, eventsChecked: 3 });
      });

      it('given an event this instance recorded on another stream, when its id is appended to a stream this instance just wrote, then EventIdConflictError and nothing written', async () => {
        // given: this instance wrote both streams last, so it knows their revisions and the tip
        const event = newEvent();
        await store.append('risk-1', [event]);
        await store.append('ai-system-1', [newEvent()]);
        // when: the id goes to ai-system-1, in a batch after a new event
        const error = await caught(store.append('ai-system-1', [newEvent(), event]));
        // then
        expect(error).toMatchObject({
          eventId: event.id,
          reason: 'different-content',
          recorded: { stream: 'risk-1', revision: 0, position: 1 },
        });
        expect((await store.head())!.position).toBe(2);
        await expect(store.append('ai-system-1', [newEvent()], { expectedRevision: 0 })).resolves.toMatchObject({ lastPosition: 3 });
        expect(await store.verify()).toMatchObject({ intact: true, eventsChecked: 3 });
      });

      it('given a batch this instance recorded, when retried with its expected revision, then the first result and nothing written', async () => {
        // given
        await store.append('ai-system-1', [newEvent()]);
        const batch = [newEvent(), newEvent()];
        const first = await store.append('ai-system-1', batch, { expectedRevision: 0 });
        // when: retried as after a lost response, though the stream has moved past the expected revision
        const retry = await store.append('ai-system-1', batch, { expectedRevision: 0 });
        // then
        expect(retry).toEqual({ ...first, alreadyRecorded: true });
        expect((await store.head())!.position).toBe(3);
      });

      it('given a recorded batch, when retried after the store was closed and reopened, then it is still recognised (forever)', async () => {
        const batch = [newEvent()];
        const first = await store.append('ai-system-1', batch);
        const reopened = await openAnother();
        await expect(reopened.append('ai-system-1', batch)).resolves.toEqual({ ...first, alreadyRecorded: true });
      });

      it('given many concurrent retries of one batch, when they race, then it is written exactly once', async () => {
        const batch = [newEvent(), newEvent()];
        const stores = [store, await openAnother(), await openAnother()];
        const results = await Promise.all(Array.from({ length: 9 }, (_, i) => stores[i % 3].append('ai-system-1', batch)));
        expect(results.filter((r) => !r.alreadyRecorded)).toHaveLength(1);
        expect(new Set(results.map((r) => r.lastPosition))).toEqual(new Set([2]));
        expect((await store.head())!.position).toBe(2);
      });
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
