/**
 * What the runtime tests share: a real Temporal dev server, one real worker running the toy workflow
 * (test/support/toy-process) with the real evidence activities on a real SQLite event store, and the
 * checks the tests make. The store the activities write to can be held, so a test can keep a step
 * "recorded but not yet answered" for as long as it needs to send other Updates meanwhile.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../../activities';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import type { EventStore, RecordedEvidenceEvent } from '../../../infra/ports/event-store.port';
import { documentReviewId, replay, type DocumentEvent, type DocumentState } from '../../support/toy-process/domain';
import { documentStateQuery, type DocumentReviewInput } from '../../support/toy-process/toy.messages';
import type { documentReview } from '../../support/toy-process';
import type { Actor } from '../../../domain/shared/roles';
import { TEST_COMMAND_KEYS } from '../../support/command-keys';
import { startTemporal, uniqueTaskQueue } from '../../support/temporal';

export type DocumentHandle = WorkflowHandle<typeof documentReview>;

/** The people of the tests, with the AIMS roles their tokens would carry. */
export const people = {
  erin: { id: 'erin', roles: ['engineer'] },
  alice: { id: 'alice', roles: ['approver'] },
  bob: { id: 'bob', roles: ['approver'] },
  audrey: { id: 'audrey', roles: ['auditor'] },
  /** An engineer who is also an approver: the segregation-of-duties case when she is the author. */
  sam: { id: 'sam', roles: ['engineer', 'approver'] },
} satisfies Record<string, Actor>;

export const SYSTEM_ACTOR = { id: 'aims:document-review', role: 'system' };

/** Appends wait while the gate is held (the evidence activity is then "running"). */
class Gate {
  private opened: Promise<void> = Promise.resolve();
  private open: () => void = () => undefined;
  hold(): void {
    this.opened = new Promise((resolve) => (this.open = resolve));
  }
  release(): void {
    this.open();
  }
  passed(): Promise<void> {
    return this.opened;
  }
}

/** The store as the activities see it: appends pass the gate first; everything else goes straight through. */
function gated(store: EventStore, gate: Gate): EventStore {
  return {
    kind: store.kind,
    append: async (stream, events, options) => {
      await gate.passed();
      return store.append(stream, events, options);
    },
    readStream: (stream, options) => store.readStream(stream, options),
    readAll: (options) => store.readAll(options),
    subscribe: (options) => store.subscribe(options),
    streamRevision: (stream, asOf) => store.streamRevision(stream, asOf),
    aggregateStream: (stream, reducer, options) => store.aggregateStream(stream, reducer, options),
    eventById: (id) => store.eventById(id),
    head: () => store.head(),
    verify: (options) => store.verify(options),
    treeHead: (size) => store.treeHead(size),
    inclusionProof: (position, size) => store.inclusionProof(position, size),
    consistencyProof: (first, second) => store.consistencyProof(first, second),
    rebuildTree: () => store.rebuildTree(),
    addCheckpoint: (checkpoint) => store.addCheckpoint(checkpoint),
    latestCheckpoint: () => store.latestCheckpoint(),
    checkpoint: (by) => store.checkpoint(by),
    listCheckpoints: (options) => store.listCheckpoints(options),
    treeNodeHashes: (level, fromIndex, count) => store.treeNodeHashes(level, fromIndex, count),
    addCosignature: (cosignature) => store.addCosignature(cosignature),
    cosignatures: (checkpointId) => store.cosignatures(checkpointId),
    close: () => store.close(),
  };
}

export interface Harness {
  env: TestWorkflowEnvironment;
  taskQueue: string;
  store: EventStore;
  gate: Gate;
  /** Distinguishes this file's document ids from any other run against the same server. */
  runTag: string;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const env = await startTemporal();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-runtime-'));
  const store = await openEventStore(`sqlite:${path.join(dir, 'evidence.db')}`);
  const gate = new Gate();
  const taskQueue = uniqueTaskQueue('runtime');
  const identity = `runtime-test-worker:${process.pid}`;
  // The worker a process is registered in: its workflows index, and the AIMS activities.
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    identity,
    workflowsPath: require.resolve('../../support/toy-process'),
    activities: createActivities({
      identity,
      taskQueue,
      eventStore: gated(store, gate),
      commandVouching: { keys: TEST_COMMAND_KEYS, maxAgeMs: 600_000 },
    }),
  });
  const running = worker.run();
  return {
    env,
    taskQueue,
    store,
    gate,
    runTag: taskQueue.slice(taskQueue.lastIndexOf('-') + 1),
    async stop() {
      gate.release();
      worker.shutdown();
      await running;
      await store.close();
      await env.teardown();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const firstRunIds = new Map<string, string>();

/** Starts a document's review (the author's first draft); Updates and queries follow the current run. */
export async function startDocument(h: Harness, documentId: string, extra: Partial<DocumentReviewInput> = {}): Promise<DocumentHandle> {
  const input: DocumentReviewInput = { documentId, title: 'AI policy', text: 'Version for review.', by: people.sam, ...extra };
  const started = await h.env.client.workflow.start<typeof documentReview>('documentReview', {
    taskQueue: h.taskQueue,
    workflowId: documentReviewId(documentId),
    args: [input],
  });
  firstRunIds.set(started.workflowId, started.firstExecutionRunId);
  return h.env.client.workflow.getHandle<typeof documentReview>(started.workflowId);
}

export function stateOf(handle: DocumentHandle): Promise<DocumentState> {
  return handle.query(documentStateQuery);
}

export async function readStream(store: EventStore, stream: string): Promise<RecordedEvidenceEvent[]> {
  const events: RecordedEvidenceEvent[] = [];
  for await (const event of store.readStream(stream)) events.push(event);
  return events;
}

/** The store's head position (the last event of the whole chain), 0 when empty. */
export async function headPosition(store: EventStore): Promise<number> {
  return (await store.head())?.position ?? 0;
}

type History = Awaited<ReturnType<DocumentHandle['fetchHistory']>>;

/** The history of each run of the workflow, first run first (following continue-as-new). */
export async function runHistories(h: Harness, workflowId: string): Promise<History[]> {
  let runId = firstRunIds.get(workflowId);
  if (runId === undefined) throw new Error(`${workflowId} was not started by this harness`);
  const histories: History[] = [];
  while (runId !== undefined && runId !== '') {
    const history: History = await h.env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    histories.push(history);
    const last = history.events?.[history.events.length - 1];
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return histories;
}

/** Update ids every run's history records as accepted. */
export async function acceptedUpdateIds(h: Harness, workflowId: string): Promise<string[]> {
  return (await runHistories(h, workflowId))
    .flatMap((history) => history.events ?? [])
    .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId)
    .filter((id): id is string => typeof id === 'string');
}

/** The failure an Update was refused with (its validator's ApplicationFailure). */
export async function refusalOf(update: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await update.then(
    () => new Error('expected the update to be refused, but it was accepted'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (error as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

/**
 * Sends an Update the validator must refuse with `code`, and checks the refusal left no trace: the store's
 * head did not move, and no run's history holds the Update (not accepted, not even mentioned).
 */
export async function expectRefused<A>(
  h: Harness,
  handle: DocumentHandle,
  update: UpdateDefinition<unknown, [A]> | string,
  arg: A,
  code: string,
): Promise<ApplicationFailure> {
  const updateId = randomUUID();
  const head = await headPosition(h.store);
  const failure = await refusalOf(handle.executeUpdate(update, { args: [arg], updateId }));
  expect(failure.type).toBe(code);
  expect(await headPosition(h.store)).toBe(head);
  const histories = await runHistories(h, handle.workflowId);
  expect(await acceptedUpdateIds(h, handle.workflowId)).not.toContain(updateId);
  expect(JSON.stringify(histories)).not.toContain(updateId);
  return failure;
}

/**
 * The check every run ends with: the stream holds exactly the expected events, in order, each once (ids
 * unique, revisions gap-free); each names the one before it as its cause; folded, they are exactly the
 * workflow's state; and the store's hash chain verifies.
 */
export async function expectEvidence(h: Harness, handle: DocumentHandle, expectedTypes: string[]): Promise<RecordedEvidenceEvent[]> {
  const events = await readStream(h.store, handle.workflowId);
  expect(events.map((e) => e.type)).toEqual(expectedTypes);
  expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
  expect(events.map((e) => e.metadata.causationId)).toEqual([undefined, ...events.slice(0, -1).map((e) => e.id)]);
  for (const e of events) expect(e.metadata).toMatchObject({ workflowId: handle.workflowId, source: 'workflow:documentReview' });
  // every event is tagged with what it is evidence for, written out here rather than read from the domain
  for (const e of events) {
    expect({ type: e.type, iso42001: e.metadata.iso42001 }).toEqual({
      type: e.type,
      iso42001: { clauses: e.type === 'ReviewReminderSent' ? ['7.5.3'] : ['7.5.2', '7.5.3'], controls: [] },
    });
  }
  expect(replay(events.map((e) => ({ type: e.type, ...e.data }) as DocumentEvent))).toEqual(await stateOf(handle));
  expect(await h.store.verify()).toMatchObject({ intact: true });
  return events;
}
