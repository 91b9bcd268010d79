/** The worker's checkpoint schedule: after every N events or T seconds, only when the tree grew (real SQLite store). */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkpointDue, CheckpointScheduler } from '../../../infra/event-store/checkpoint-scheduler';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import { generateSignerKey, openNote, parseSignerKey, parseVerifierKey } from '../../../infra/event-store/signed-note';
import type { EventStore } from '../../../infra/ports/event-store.port';

describe('checkpointDue', () => {
  const schedule = { everyEvents: 10, everyMs: 60_000 };
  it('signs the first time the tree has events, then after N events or T, never for an unchanged tree', () => {
    expect(checkpointDue(schedule, 0, null, 0)).toBe(false);
    expect(checkpointDue(schedule, 1, null, 0)).toBe(true);
    const last = { treeSize: 5, signedAtMs: 1_000 };
    expect(checkpointDue(schedule, 5, last, 1_000_000)).toBe(false);
    expect(checkpointDue(schedule, 14, last, 2_000)).toBe(false);
    expect(checkpointDue(schedule, 15, last, 2_000)).toBe(true);
    expect(checkpointDue(schedule, 6, last, 61_000)).toBe(true);
    expect(checkpointDue(schedule, 6, last, 60_999)).toBe(false);
  });
});

describe('CheckpointScheduler on a SQLite store', () => {
  let dir: string;
  let store: EventStore;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-cp-schedule-'));
    store = await openEventStore(`sqlite:${path.join(dir, 'evidence.db')}`);
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('signs when due, stores a note that verifies, and skips when nothing is due', async () => {
    const key = generateSignerKey('example.test/aims');
    const errors: unknown[] = [];
    const scheduler = new CheckpointScheduler(
      store,
      'example.test/aims',
      parseSignerKey(key.signerKey),
      { everyEvents: 3, everyMs: 3_600_000 },
      (e) => errors.push(e),
    );
    const append = (n: number) =>
      Promise.all(
        Array.from({ length: n }, () => store.append('ai-system-1', [{ id: randomUUID(), type: 'Noted', data: {}, metadata: {} }])),
      );
    expect(await scheduler.tick()).toBe(false);
    await append(2);
    expect(await scheduler.tick()).toBe(true); // the first checkpoint
    await append(2);
    expect(await scheduler.tick()).toBe(false); // 2 < 3 events, 1 h not passed
    expect(await scheduler.tick(Date.now() + 3_600_001)).toBe(true); // T passed
    await append(3);
    expect(await scheduler.tick()).toBe(true); // N reached
    const latest = (await store.latestCheckpoint())!;
    expect(latest.treeSize).toBe(7);
    expect(openNote(latest.note, [parseVerifierKey(key.verifierKey)]).text).toBe(
      `example.test/aims\n7\n${(await store.treeHead(7)).rootHash.toString('base64')}\n`,
    );
    expect(errors).toEqual([]);
    await scheduler.stop();
  });
});
