/**
 * Replays the recorded histories of real lifecycle runs (test/fixtures/histories/ai-system-lifecycle-*.json,
 * written by the lifecycle tests with AIMS_RECORD_HISTORIES=1) against today's workflow code. A change that
 * would make a running lifecycle take a different path — a command added, removed or reordered — fails
 * here with a determinism error, before it reaches a worker in production.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { lifecycleWorkflowId } from '../../../domain/ai-system';
import type { AiSystemLifecycleInput } from '../../../workflows/ai-system-lifecycle.workflow';

const FIXTURES = path.resolve(__dirname, '../../fixtures/histories');
const fixtures = fs
  .readdirSync(FIXTURES)
  .filter((f) => f.startsWith('ai-system-lifecycle-') && f.endsWith('.json'))
  .sort();

/** The workflow runs only as `ai-system-<systemId>`, so each history is replayed under its real id. */
function workflowIdOf(history: temporal.api.history.v1.History, file: string): string {
  const payload = history.events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload) throw new Error(`${file} does not start with the workflow's input`);
  return lifecycleWorkflowId(defaultPayloadConverter.fromPayload<AiSystemLifecycleInput>(payload).registration.systemId);
}

beforeAll(() => {
  // Replay workers log every state change at INFO; warnings and errors are what matter here.
  Runtime.install({ logger: new DefaultLogger('WARN') });
});

describe('aiSystemLifecycle replay of recorded histories', () => {
  test('the fixtures cover the recorded runs (full path, gates, refusals, timers, continue-as-new, a killed worker)', () => {
    expect(fixtures).toEqual(
      expect.arrayContaining([
        'ai-system-lifecycle-full-path.json',
        'ai-system-lifecycle-impact-assessment-rejected-then-approved.json',
        'ai-system-lifecycle-deployment-gate.json',
        'ai-system-lifecycle-refused-updates.json',
        'ai-system-lifecycle-overdue-reminder-escalation.json',
        'ai-system-lifecycle-continued-as-new-last-run.json',
        'ai-system-lifecycle-worker-killed.json',
      ]),
    );
  });

  test('given every recorded history, when replayed against the current workflow code, then none is non-deterministic', async () => {
    // The fixtures are `JSON.stringify(history)` (protobufjs's toJSON); `fromObject` is its inverse.
    const histories = fixtures.map((file) => {
      const history = temporal.api.history.v1.History.fromObject(JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')));
      return { workflowId: workflowIdOf(history, file), history };
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
