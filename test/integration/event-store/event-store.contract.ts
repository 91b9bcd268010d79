/**
 * The one contract every evidence store adapter must pass. Each adapter's test file calls
 * eventStoreContract() with a harness factory that gives a fresh, empty store, a URL for child processes,
 * and a way to tamper with the tables directly, around the API. This file holds the harness, the shared
 * helpers and the append side (envelope, expected revision, bad input, idempotency); the other parts of the
 * contract are beside it (event-store-reads, event-store-concurrency, chain-verify, evidence-tree,
 * checkpoint-reads), each called by the adapter's test file.
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

/** The error a call rejects or throws with; fails when it succeeds. */
export async function caught(promise: Promise<unknown> | (() => unknown)): Promise<unknown> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, but the call succeeded');
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The hash as an auditor recomputes it: canonical JSON of the envelope without `hash`, SHA-256, hex. */
export function auditorHash(event: RecordedEvidenceEvent): string {
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
  });
}
