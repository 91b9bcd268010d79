/**
 * Replays every recorded workflow history (test/fixtures/histories/<workflow>/<era>/*.json, written by the
 * workflow tests with AIMS_RECORD_HISTORIES=1) against today's workflow code. A change that would make a
 * running workflow take another path — a command added, removed or reordered without `patched()` — fails
 * here as non-determinism, before it reaches a worker in production. Each era is the code that recorded
 * it; none is ever dropped while runs started under it may still be open.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { lifecycleWorkflowId } from '../../../domain/ai-system';
import { nonconformityWorkflowId } from '../../../domain/nonconformity';
import { LIFECYCLE_POLICY_WORKFLOW_ID } from '../../../domain/lifecycle-policy';
import { notificationWorkflowId } from '../../../domain/notifications';
import { fixtureFolders } from '../../support/history-fixtures';

/** Each workflow runs only under the id its input names, so each history is replayed under its real id. */
const WORKFLOW_IDS: Record<string, (input: never) => string> = {
  'ai-system-lifecycle': (input: { registration: { systemId: string } }) => lifecycleWorkflowId(input.registration.systemId),
  nonconformity: (input: { nonconformityId: string }) => nonconformityWorkflowId(input.nonconformityId),
  'lifecycle-policy': () => LIFECYCLE_POLICY_WORKFLOW_ID,
  notification: (input: { sourceEventId: string }) => notificationWorkflowId(input.sourceEventId),
};

/** The paths each workflow's tests walk: a missing fixture fails rather than leaving a path unguarded. */
const REQUIRED_CASES: Record<string, string[]> = {
  'ai-system-lifecycle': [
    'full-path',
    'impact-assessment-rejected-then-approved',
    'deployment-gate',
    'refused-updates',
    'overdue-reminder-escalation',
    'continued-as-new-last-run',
    'worker-killed',
    'breach-starts-nonconformity',
  ],
  nonconformity: [
    'breach-to-closure',
    'plan-rejected-then-approved',
    'overdue-escalated',
    'reopened-then-closed',
    'refused-updates',
    'continued-as-new-run-2',
  ],
  'lifecycle-policy': ['changes-proposed-and-decided-run-1', 'changes-proposed-and-decided-run-2'],
  notification: ['task-opened-delivered', 'delivered-after-failures', 'abandoned-after-bound'],
};

/** Paths only some eras have (walked by code that earlier eras did not have), by `<workflow>/<era>`. */
const REQUIRED_IN_ERA: Record<string, string[]> = {
  'ai-system-lifecycle/runtime': ['organisation-policy-applied', 'deployment-repeats-recorded'],
};

const folders = fixtureFolders();

beforeAll(() => {
  // Replay workers log every state change at INFO; warnings and errors are what matter here.
  Runtime.install({ logger: new DefaultLogger('WARN') });
});

test('every recorded workflow has fixtures for every path its tests walk, in every era', () => {
  expect(folders.map((f) => f.workflow).sort()).toEqual(expect.arrayContaining(Object.keys(REQUIRED_CASES)));
  for (const folder of folders) {
    expect(WORKFLOW_IDS[folder.workflow]).toBeDefined();
    for (const name of [...(REQUIRED_CASES[folder.workflow] ?? []), ...(REQUIRED_IN_ERA[`${folder.workflow}/${folder.era}`] ?? [])])
      expect([folder.era, folder.files]).toEqual([folder.era, expect.arrayContaining([`${name}.json`])]);
  }
});

describe.each(folders.map((f) => [`${f.workflow}/${f.era}`, f] as const))('replay of %s', (_name, folder) => {
  test('given every recorded history, when replayed against the current workflow code, then none is non-deterministic', async () => {
    // The fixtures are `JSON.stringify(history)` (protobufjs's toJSON); `fromObject` is its inverse.
    const histories = folder.files.map((file) => {
      const history = temporal.api.history.v1.History.fromObject(JSON.parse(fs.readFileSync(path.join(folder.dir, file), 'utf8')));
      const payload = history.events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
      if (!payload) throw new Error(`${file} does not start with the workflow's input`);
      return { workflowId: WORKFLOW_IDS[folder.workflow](defaultPayloadConverter.fromPayload<never>(payload)), history };
    });
    expect(histories.length).toBeGreaterThan(0);
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ workflowsPath: require.resolve('../../../workflows') }, histories)) {
      replayed += 1;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.name}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(histories.length);
  });
});
