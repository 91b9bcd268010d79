/**
 * Replays the recorded histories of the nonconformity workflow (test/fixtures/histories/nonconformity-*.json,
 * recorded by nonconformity.workflow.test.ts with AIMS_RECORD_HISTORIES=1) against today's workflow code.
 * A change that would break workflows already running in production — a step reordered, a timer or an
 * activity added or removed without versioning — fails here as non-determinism.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';

const FIXTURES = path.resolve(__dirname, '../../fixtures/histories');

/** Every path the workflow test walks; a missing fixture fails rather than leaving a path unguarded. */
const EXPECTED_CASES = [
  'breach-to-closure',
  'plan-rejected-then-approved',
  'overdue-escalated',
  'reopened-then-closed',
  'refused-updates',
  'continued-as-new',
];

function fixtureFiles(): string[] {
  if (!fs.existsSync(FIXTURES)) return [];
  return fs
    .readdirSync(FIXTURES)
    .filter((f) => /^nonconformity-.+\.json$/.test(f))
    .sort();
}

/** The workflow refuses to run under another id than `nonconformity-<id>`, so replay under the real one. */
function workflowIdOf(history: temporal.api.history.v1.History, file: string): string {
  const payload = history.events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload) throw new Error(`${file} does not start with the workflow's input`);
  const input = defaultPayloadConverter.fromPayload<{ nonconformityId: string }>(payload);
  return `nonconformity-${input.nonconformityId}`;
}

describe('nonconformity workflow replay', () => {
  it('given the recorded histories, then a fixture exists for every walked path (continued runs included)', () => {
    const files = fixtureFiles();
    for (const name of EXPECTED_CASES) {
      expect(files.some((f) => f === `nonconformity-${name}.json` || f.startsWith(`nonconformity-${name}-run-`))).toBe(true);
    }
    expect(files.filter((f) => f.startsWith('nonconformity-continued-as-new-run-')).length).toBeGreaterThan(1);
  });

  it('given every recorded history, when replayed against the current workflow code, then none is non-deterministic', async () => {
    // given
    const files = fixtureFiles();
    expect(files.length).toBeGreaterThan(0);
    // The fixtures are `JSON.stringify(history)`, i.e. protobufjs's toJSON; `fromObject` is its inverse.
    // (The SDK's own historyFromJSON expects the CLI's proto3 JSON, and with the two protobufjs copies this
    // install has, its `instanceof Type` check fails anyway.)
    const histories = files.map((file) => {
      const history = temporal.api.history.v1.History.fromObject(JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')));
      return { workflowId: workflowIdOf(history, file), history };
    });

    // when
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ workflowsPath: require.resolve('../../../workflows') }, histories)) {
      replayed += 1;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.name}: ${result.error.message}`);
    }

    // then
    expect(failures).toEqual([]);
    expect(replayed).toBe(files.length);
  });
});
