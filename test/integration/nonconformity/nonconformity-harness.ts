/**
 * What the nonconformity workflow tests share: a real Temporal dev server, one real worker for the file, a
 * real SQLite evidence store in a temporary folder, the people who act, and the checks every run ends with
 * (its evidence stream holds each step exactly once, reproduces the workflow's state, and the chain verifies).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createAimsWorker } from '../../../apps/worker/src/create-worker';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import type { EventStore, RecordedEvidenceEvent } from '../../../infra/ports/event-store.port';
import {
  nonconformityWorkflowId,
  replay,
  type NonconformityEvent,
  type NonconformityState,
  type OpenTask,
} from '../../../domain/nonconformity';
import type { Actor, ActorRef } from '../../../domain/shared/roles';
import { nonconformityStateQuery, openTasksQuery, type NonconformityWorkflowInput } from '../../../workflows/nonconformity.workflow';
import type { nonconformity } from '../../../workflows';
import { startTemporal, uniqueTaskQueue } from '../../support/temporal';
import { writeHistoryFixture } from '../../support/history-fixtures';
import { TEST_COMMAND_KEYS } from '../../support/command-keys';
import { eventually } from '../../support/eventually';

export type NonconformityHandle = WorkflowHandle<typeof nonconformity>;

/** The people of the tests, with the AIMS roles their tokens would carry. */
export const people = {
  ava: { id: 'ava', roles: ['aims_owner'] },
  rolf: { id: 'rolf', roles: ['risk_owner'] },
  rita: { id: 'rita', roles: ['risk_owner', 'aims_owner'] },
  erin: { id: 'erin', roles: ['engineer'] },
  omar: { id: 'omar', roles: ['engineer'] },
  olga: { id: 'olga', roles: ['engineer'] },
  vic: { id: 'vic', roles: ['validator'] },
  aude: { id: 'aude', roles: ['auditor'] },
} satisfies Record<string, Actor>;

/** How the lifecycle workflow raises a nonconformity on a monitoring breach. */
export const LIFECYCLE_ACTOR: ActorRef = { id: 'aims:lifecycle', role: 'system' };

export interface Harness {
  env: TestWorkflowEnvironment;
  worker: Worker;
  taskQueue: string;
  store: EventStore;
  /** Distinguishes this file's nonconformity ids from any other run against the same server. */
  runTag: string;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const env = await startTemporal();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-nonconformity-'));
  const store = await openEventStore(`sqlite:${path.join(dir, 'evidence.db')}`);
  const taskQueue = uniqueTaskQueue('nonconformity');
  const worker = await createAimsWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    eventStore: store,
    workflows: 'source',
    commandKeys: TEST_COMMAND_KEYS,
  });
  const running = worker.run();
  return {
    env,
    worker,
    taskQueue,
    store,
    runTag: taskQueue.slice(taskQueue.lastIndexOf('-') + 1),
    async stop() {
      worker.shutdown();
      await running;
      await store.close();
      await env.teardown();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Seconds-long durations: reminders, overdue and reviews all happen within a test. */
export const FAST_TIMING = { effectivenessReviewDelay: 'PT1S', reminderLeadTime: 'PT1S', escalationDelay: 'PT1S' };

export function raisedInput(nonconformityId: string, overrides: Partial<NonconformityWorkflowInput> = {}): NonconformityWorkflowInput {
  return {
    nonconformityId,
    by: people.rolf,
    title: 'Credit model recall below threshold',
    description: 'Weekly monitoring measured recall 0.71 against an acceptance threshold of 0.80.',
    source: 'monitoring_breach',
    sourceReference: 'monitoring-report-77',
    severity: 'major',
    aiSystemIds: ['credit-scoring'],
    annexAControlIds: ['A.6.2.6'],
    clauseIds: ['9.1'],
    timing: FAST_TIMING,
    ...overrides,
  };
}

const firstRunIds = new Map<string, string>();

/** Remembers a workflow's first run (started outside startNonconformity), so runHistories can walk its runs. */
export function registerFirstRun(workflowId: string, firstExecutionRunId: string): void {
  firstRunIds.set(workflowId, firstExecutionRunId);
}

export async function startNonconformity(h: Harness, input: NonconformityWorkflowInput): Promise<NonconformityHandle> {
  const started = await h.env.client.workflow.start('nonconformity', {
    taskQueue: h.taskQueue,
    workflowId: nonconformityWorkflowId(input.nonconformityId),
    args: [input],
  });
  firstRunIds.set(started.workflowId, started.firstExecutionRunId);
  // Updates and queries go to whichever run is current (the workflow may continue as new).
  return h.env.client.workflow.getHandle<typeof nonconformity>(nonconformityWorkflowId(input.nonconformityId));
}

/** An instant `seconds` from now, for due dates (data a caller supplies, not a clock the domain reads). */
export function inSeconds(seconds: number): string {
  return new Date(Date.now() + seconds * 1000).toISOString();
}

export { eventually };

export function stateOf(handle: NonconformityHandle): Promise<NonconformityState> {
  return handle.query(nonconformityStateQuery);
}

export function openTasksOf(handle: NonconformityHandle): Promise<OpenTask[]> {
  return handle.query(openTasksQuery);
}

/** Waits until the workflow's timer has announced the current round's effectiveness review as due. */
export function reviewAnnounced(handle: NonconformityHandle): Promise<NonconformityState> {
  return eventually(
    () => stateOf(handle),
    (s) => s !== null && s.rounds[s.rounds.length - 1].effectivenessReview?.dueNotifiedAt != null,
    'the effectiveness review to fall due',
  );
}

/** The update was refused by its validator, with this code (the ApplicationFailure's type). */
export async function expectRefused(update: Promise<unknown>, code: string): Promise<ApplicationFailure> {
  const error = await update.then(
    () => {
      throw new Error(`expected the update to be refused with ${code}, but it was accepted`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (error as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect((cause as ApplicationFailure).type).toBe(code);
  return cause as ApplicationFailure;
}

/** A fresh update id, so a test can look for it in the history afterwards. */
export function updateId(): string {
  return randomUUID();
}

export async function readStream(store: EventStore, stream: string): Promise<RecordedEvidenceEvent[]> {
  const events: RecordedEvidenceEvent[] = [];
  for await (const event of store.readStream(stream)) events.push(event);
  return events;
}

/** A step as tests name it: type, round, the plan for plan decisions, the action for action steps. */
export function stepKey(event: RecordedEvidenceEvent): string {
  const data = event.data as { round?: number; planId?: string; actionId?: string };
  return [
    event.type,
    data.round === undefined ? null : `r${data.round}`,
    event.type.startsWith('CorrectiveActionPlan') ? data.planId : null,
    data.actionId ?? null,
  ]
    .filter((part) => part !== null && part !== undefined)
    .join(' ');
}

export interface EvidenceExpectation {
  /** Every step in the order recorded: equality means each is present exactly once. */
  steps: string[];
  correlationId: string;
  /** What the first event names as its cause (the AI system's event), if anything. */
  firstCausationId?: string;
}

/**
 * The checks every run ends with: the stream holds exactly the steps the test lists, in order (so each
 * exactly once), with gap-free revisions; each event names the workflow, the correlation and a cause
 * recorded before it; folding the evidence gives exactly the workflow's final state; the chain verifies.
 */
export async function expectEvidence(
  h: Pick<Harness, 'store'>,
  handle: NonconformityHandle,
  nonconformityId: string,
  expected: EvidenceExpectation,
): Promise<RecordedEvidenceEvent[]> {
  const stream = `nonconformity-${nonconformityId}`;
  const events = await readStream(h.store, stream);
  expect(events.map(stepKey)).toEqual(expected.steps);
  expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
  const seen = new Set<string>();
  events.forEach((event, i) => {
    expect(event.metadata.workflowId).toBe(nonconformityWorkflowId(nonconformityId));
    expect(event.metadata.correlationId).toBe(expected.correlationId);
    expect(event.metadata.source).toBe('workflow:nonconformity');
    if (i === 0) expect(event.metadata.causationId).toBe(expected.firstCausationId);
    else expect(seen.has(String(event.metadata.causationId))).toBe(true);
    seen.add(event.id);
  });
  const fromEvidence = replay(events.map((e) => ({ type: e.type, ...e.data }) as NonconformityEvent));
  expect(fromEvidence).toEqual(await stateOf(handle));
  const report = await h.store.verify();
  expect(report).toMatchObject({ intact: true });
  return events;
}

/**
 * Saves the histories of every run of the workflow (in order, following continue-as-new) as replay
 * fixtures `<name>.json` (`<name>-run-<n>.json` when there are several) in the era of today's code, only
 * when AIMS_RECORD_HISTORIES=1.
 */
export async function saveHistoryFixtures(h: Harness, handle: NonconformityHandle, name: string): Promise<void> {
  if (process.env.AIMS_RECORD_HISTORIES !== '1') return;
  const histories = await runHistories(h, handle.workflowId);
  histories.forEach((history, i) => writeHistoryFixture('nonconformity', histories.length === 1 ? name : `${name}-run-${i + 1}`, history));
}

type History = Awaited<ReturnType<NonconformityHandle['fetchHistory']>>;

/** The history of each run of the workflow, first run first. */
export async function runHistories(h: Harness, workflowId: string): Promise<History[]> {
  let runId = firstRunIds.get(workflowId);
  if (runId === undefined) throw new Error(`${workflowId} was not started by this harness`);
  const histories: History[] = [];
  while (runId !== undefined && runId !== '') {
    const history: History = await h.env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    histories.push(history);
    const last = history.events?.[history.events.length - 1] ?? null;
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return histories;
}
