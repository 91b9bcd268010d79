/**
 * The evidence activity as a local activity appends it (workflows/evidence-recorder.ts): a workflow task
 * that failed after its append is retried with the same event ids on a later workflow clock, so the same
 * step arrives with other content; the activity answers with what the earlier attempt of the same run
 * recorded, writes nothing, and refuses anything else that reuses the ids. A real SQLite store.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import { createEvidenceActivities, type EvidenceActivities } from '../../../activities/evidence.activities';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import type { EventStore, NewEvidenceEvent } from '../../../infra/ports/event-store.port';
import { TEST_COMMAND_KEYS } from '../../support/command-keys';

let dir: string;
let store: EventStore;
let activities: EvidenceActivities;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-earlier-attempt-'));
  store = await openEventStore(`sqlite:${path.join(dir, 'evidence.db')}`);
  activities = createEvidenceActivities(store, { keys: TEST_COMMAND_KEYS, maxAgeMs: 600_000 });
});

afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const STREAM = 'ai-system-credit';

/** One step of a run, decided at `at` (the workflow clock of its task). */
function step(at: string, runId = 'run-1'): NewEvidenceEvent[] {
  const metadata = { actor: { id: 'system', role: 'system' }, workflowId: 'ai-system-credit', runId, source: 'workflow:aiSystemLifecycle' };
  return [
    { id: '3f1c1d3e-0000-4000-8000-000000000001', type: 'ReviewFellDue', data: { at }, metadata },
    { id: '3f1c1d3e-0000-4000-8000-000000000002', type: 'ReviewReminded', data: { at }, metadata },
  ];
}

async function streamData(): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const e of store.readStream(STREAM)) out.push(e.data);
  return out;
}

describe('the evidence activity, appending for a retried workflow task', () => {
  it('given a step recorded by an earlier attempt, when the retried task sends it again on a later clock, then the recorded step is answered and nothing is written', async () => {
    const first = await activities.recordEvidence({
      stream: STREAM,
      events: step('2026-12-06T01:00:00.000Z'),
      onEarlierAttempt: 'take-recorded',
    });
    const again = await activities.recordEvidence({
      stream: STREAM,
      events: step('2026-12-06T01:00:11.000Z'),
      onEarlierAttempt: 'take-recorded',
    });
    expect(again).toEqual({
      stream: STREAM,
      nextExpectedRevision: first.nextExpectedRevision,
      lastPosition: first.lastPosition,
      alreadyRecorded: true,
      recorded: [
        { type: 'ReviewFellDue', data: { at: '2026-12-06T01:00:00.000Z' } },
        { type: 'ReviewReminded', data: { at: '2026-12-06T01:00:00.000Z' } },
      ],
    });
    expect(await streamData()).toEqual([{ at: '2026-12-06T01:00:00.000Z' }, { at: '2026-12-06T01:00:00.000Z' }]);
  });

  it('given the same content sent again, when appended, then it is the plain idempotent retry (nothing to fold instead)', async () => {
    await activities.recordEvidence({ stream: STREAM, events: step('2026-12-06T01:00:00.000Z'), onEarlierAttempt: 'take-recorded' });
    const again = await activities.recordEvidence({
      stream: STREAM,
      events: step('2026-12-06T01:00:00.000Z'),
      onEarlierAttempt: 'take-recorded',
    });
    expect(again).toMatchObject({ alreadyRecorded: true });
    expect(again).not.toHaveProperty('recorded');
  });

  it('given the ids recorded by another run, or a caller that did not ask for it, when sent with other content, then it is refused as a conflict', async () => {
    await activities.recordEvidence({ stream: STREAM, events: step('2026-12-06T01:00:00.000Z') });
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: unknown) => e,
      );
    const otherRun = await refusal(
      activities.recordEvidence({ stream: STREAM, events: step('2026-12-06T01:00:11.000Z', 'run-2'), onEarlierAttempt: 'take-recorded' }),
    );
    expect(otherRun).toBeInstanceOf(ApplicationFailure);
    expect(otherRun).toMatchObject({ type: 'event-id-conflict', nonRetryable: true });
    const notAsked = await refusal(activities.recordEvidence({ stream: STREAM, events: step('2026-12-06T01:00:11.000Z') }));
    expect(notAsked).toMatchObject({ type: 'event-id-conflict', nonRetryable: true });
    expect(await streamData()).toHaveLength(2);
  });
});
