/**
 * The basis a report states (apps/api/src/common/evidence-basis.ts), on a real SQLite store: the last
 * event at or before a position or an instant, with its recordedAt and chain hash; the head by default; a
 * position past the head is the head; before the first event, or on an empty log, position 0 and nothing
 * else. The store's clock is set per append so the instants are known (several events share one).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { evidenceBasis } from '../../../apps/api/src/common/evidence-basis';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import type { EventStore, RecordedEvidenceEvent } from '../../../infra/ports/event-store.port';

const BASE = Date.parse('2026-03-01T00:00:00.000Z');
// Seconds after BASE at which each of the nine events is recorded: 4 and 5 share an instant.
const AT = [1, 2, 3, 4, 4, 6, 7, 8, 9];

describe('evidenceBasis', () => {
  let dir: string;
  let store: EventStore;
  const recorded: RecordedEvidenceEvent[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aims-basis-'));
    store = await openEventStore(`sqlite:${join(dir, 'evidence.db')}`);
    expect(await evidenceBasis(store)).toEqual({ position: 0 });
    const now = jest.spyOn(Date, 'now');
    try {
      for (const s of AT) {
        now.mockReturnValue(BASE + s * 1000);
        await store.append('basis-test', [{ id: randomUUID(), type: 'Noted', data: { s } }]);
      }
    } finally {
      now.mockRestore();
    }
    for await (const e of store.readAll()) recorded.push(e);
  });

  afterAll(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const at = (position: number) => ({ position, recordedAt: recorded[position - 1].recordedAt, hash: recorded[position - 1].hash });

  it('is the head by default, and the event at a position asked for', async () => {
    expect(recorded.map((e) => Date.parse(e.recordedAt) - BASE)).toEqual(AT.map((s) => s * 1000));
    expect(await evidenceBasis(store)).toEqual(at(9));
    expect(await evidenceBasis(store, { position: 3 }, '3')).toEqual({ ...at(3), asOf: '3' });
    expect(await evidenceBasis(store, { position: 100 }, '100')).toEqual({ ...at(9), asOf: '100' });
    expect(await evidenceBasis(store, { position: 0 }, '0')).toEqual({ position: 0, asOf: '0' });
  });

  it('is the last event recorded at or before an instant', async () => {
    const time = (s: number) => ({ time: new Date(BASE + s * 1000).toISOString() });
    expect((await evidenceBasis(store, time(4))).position).toBe(5);
    expect((await evidenceBasis(store, time(5.5))).position).toBe(5);
    expect((await evidenceBasis(store, time(1))).position).toBe(1);
    expect(await evidenceBasis(store, time(6), 'six')).toEqual({ ...at(6), asOf: 'six' });
    expect((await evidenceBasis(store, time(3.999))).position).toBe(3);
    expect((await evidenceBasis(store, time(1000))).position).toBe(9);
    expect(await evidenceBasis(store, time(0.5))).toEqual({ position: 0 });
  });
});
