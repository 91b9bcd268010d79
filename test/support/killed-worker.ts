/**
 * What the worker-kill tests share: a worker in a child process (test/support/lifecycle-worker.child.ts)
 * that can be told to hang right after an evidence append commits, the two evidence stores the tests run
 * on, and the checks that the killed attempt's append was retried by another worker and stored once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { openEventStore } from '../../infra/event-store/open-event-store';
import type { EventStore } from '../../infra/ports/event-store.port';
import { eventually } from './eventually';
import { dropSchema, freshSchemaName, POSTGRES_URL } from './postgres';
import type { PausedAppend } from './lifecycle-worker.child';

export type { PausedAppend };

const TS_REGISTER = path.resolve(__dirname, '../integration/event-store/ts-register.cjs');
const WORKER_CHILD = path.resolve(__dirname, 'lifecycle-worker.child.ts');

/** Bundling the workflows in a child on a loaded two-core machine can take a while. */
const CHILD_READY_BOUND_MS = 180_000;

export interface ChildWorker {
  process: ChildProcess;
  /** Resolves with the signal (or exit code) the child ended with. */
  exited: Promise<NodeJS.Signals | number | null>;
  /** Resolves once the child polls; rejects if it dies first. */
  ready: Promise<void>;
  /** Where the child reports the append it paused after. */
  pauseFile: string;
}

/** Starts a worker child on `taskQueue`; it hangs after the first committed append carrying `pauseAfterType`. */
export function startChildWorker(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  storeUrl: string,
  pauseAfterType: string,
  dir: string,
): ChildWorker {
  const pauseFile = path.join(dir, `paused-${taskQueue}.json`);
  const child = spawn(
    process.execPath,
    ['-r', TS_REGISTER, WORKER_CHILD, env.address, 'default', taskQueue, storeUrl, pauseAfterType, pauseFile],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  const ready = new Promise<void>((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.split('\n').includes('ready')) resolve();
    });
    child.on('exit', (code, signal) => reject(new Error(`worker child exited (${signal ?? code}) before it was ready; stderr: ${stderr}`)));
    setTimeout(
      () => reject(new Error(`worker child not ready after ${CHILD_READY_BOUND_MS} ms; stderr: ${stderr}`)),
      CHILD_READY_BOUND_MS,
    ).unref();
  });
  // Only the test's own rejection handler matters; an unobserved one must not fail the run.
  ready.catch(() => undefined);
  return { process: child, exited, ready, pauseFile };
}

/** Waits for the child to report that its append committed and it is hanging before the activity completes. */
export async function waitForPause(child: ChildWorker): Promise<PausedAppend> {
  let died: NodeJS.Signals | number | null | undefined;
  void child.exited.then((how) => (died = how));
  const read = async (): Promise<PausedAppend | null> => {
    if (died !== undefined) throw new Error(`worker child exited (${died}) before it paused after an append`);
    return fs.existsSync(child.pauseFile) ? (JSON.parse(fs.readFileSync(child.pauseFile, 'utf8')) as PausedAppend) : null;
  };
  const paused = await eventually(read, (p) => p !== null, 'the child worker to commit the append and pause', 120_000);
  return paused as PausedAppend;
}

export async function killChild(child: ChildWorker): Promise<void> {
  child.process.kill('SIGKILL');
  expect(await child.exited).toBe('SIGKILL');
}

export interface EvidenceBackend {
  name: 'SQLite' | 'PostgreSQL';
  /** A fresh, empty store of this kind: its URL (for the child), an open handle, and how to drop it. */
  open(dir: string): Promise<{ url: string; store: EventStore; dispose: () => Promise<void> }>;
}

export const EVIDENCE_BACKENDS: EvidenceBackend[] = [
  {
    name: 'SQLite',
    async open(dir) {
      const url = `sqlite:${path.join(dir, 'evidence.db')}`;
      const store = await openEventStore(url);
      return { url, store, dispose: () => store.close() };
    },
  },
  {
    name: 'PostgreSQL',
    async open() {
      const schema = freshSchemaName('killed_worker');
      const url = `${POSTGRES_URL}?schema=${schema}`;
      const store = await openEventStore(url);
      return {
        url,
        store,
        dispose: async () => {
          await store.close();
          await dropSchema(schema);
        },
      };
    },
  },
];

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];

/**
 * The paused attempt's activity, as the workflow's history records it: scheduled once, its first attempt
 * timed out (the killed worker never answered), and a later attempt, started by `successor`, completed.
 * Returns the attempt that completed (always > 1).
 */
export async function expectRetriedBy(handle: WorkflowHandle, paused: PausedAppend, successor: string): Promise<number> {
  const events: HistoryEvent[] = (await handle.fetchHistory()).events ?? [];
  const scheduled = events.filter((e) => e.activityTaskScheduledEventAttributes?.activityId === paused.activityId);
  expect(scheduled.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)).toEqual(['recordEvidence']);
  const scheduledEventId = String(scheduled[0].eventId);
  const started = events.filter((e) => String(e.activityTaskStartedEventAttributes?.scheduledEventId) === scheduledEventId);
  const completed = events.filter((e) => String(e.activityTaskCompletedEventAttributes?.scheduledEventId) === scheduledEventId);
  expect([started.length, completed.length]).toEqual([1, 1]);
  const attributes = started[0].activityTaskStartedEventAttributes;
  expect(attributes?.identity).toBe(successor);
  // Only the last attempt's start is recorded; its last failure is the killed attempt's timeout.
  expect(attributes?.attempt).toBeGreaterThan(paused.attempt);
  expect(attributes?.lastFailure?.timeoutFailureInfo).toBeTruthy();
  return attributes?.attempt as number;
}

/**
 * The paused append, retried by `successor`, whichever way the workflow appended it: as a scheduled activity
 * (runs recorded before the `evidence-appended-by-local-activity` patch: see expectRetriedBy), or as a local
 * activity (since): the killed worker's workflow task timed out with the append done but unrecorded, and
 * the successor ran that task again, local activity included, and completed it (recording the marker).
 */
export async function expectAppendRetriedBy(
  handle: WorkflowHandle,
  paused: PausedAppend,
  successor: string,
): Promise<'activity' | 'local-activity'> {
  const events: HistoryEvent[] = (await handle.fetchHistory()).events ?? [];
  if (events.some((e) => e.activityTaskScheduledEventAttributes?.activityId === paused.activityId)) {
    expect(await expectRetriedBy(handle, paused, successor)).toBeGreaterThan(1);
    return 'activity';
  }
  const timedOut = events.findIndex((e) => e.workflowTaskTimedOutEventAttributes != null);
  expect(timedOut).toBeGreaterThan(-1);
  // The retried task: completed by the successor, with the local activity's marker after it.
  const completed = events.findIndex((e, i) => i > timedOut && e.workflowTaskCompletedEventAttributes?.identity === successor);
  expect(completed).toBeGreaterThan(timedOut);
  expect(events[completed + 1]?.markerRecordedEventAttributes?.markerName).toBe('core_local_activity');
  return 'local-activity';
}

/** Each of `ids` is in `stream` exactly once (the retried append stored nothing a second time). */
export async function expectStoredOnce(store: EventStore, stream: string, ids: string[]): Promise<void> {
  const stored: string[] = [];
  for await (const event of store.readStream(stream)) stored.push(event.id);
  expect(ids.map((id) => stored.filter((s) => s === id).length)).toEqual(ids.map(() => 1));
}
