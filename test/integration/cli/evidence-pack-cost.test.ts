/**
 * What packing one AI system reads: only its own streams (never the whole log), a bounded number of passes
 * over them, and one O(log n) audit path per event; a time as-of point costs O(log n) single-event reads.
 * Counted through the port on a real SQLite store, so the claim "cost follows the system's history, not
 * the size of the store" is checked without measuring time.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CheckpointConfig } from '../../../infra/config/config';
import { openEventStore } from '../../../infra/event-store/open-event-store';
import { generateSignerKey } from '../../../infra/event-store/signed-note';
import { writeEvidencePack } from '../../../infra/evidence-pack/pack-writer';
import type { EventStore, RecordedEvidenceEvent } from '../../../infra/ports/event-store.port';

interface Reads {
  readAll: Array<{ maxCount?: number; events: number }>;
  streams: Map<string, number>;
  inclusionProofs: number;
}

/** The store, with every read counted. */
function counting(store: EventStore, reads: Reads): EventStore {
  const count = async function* (source: AsyncIterable<RecordedEvidenceEvent>, onEvent: () => void): AsyncGenerator<RecordedEvidenceEvent> {
    for await (const event of source) {
      onEvent();
      yield event;
    }
  };
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'readAll') {
        return (options: Parameters<EventStore['readAll']>[0]) => {
          const entry = { maxCount: options?.maxCount, events: 0 };
          reads.readAll.push(entry);
          return count(target.readAll(options), () => entry.events++);
        };
      }
      if (prop === 'readStream') {
        return (stream: string, options: Parameters<EventStore['readStream']>[1]) =>
          count(target.readStream(stream, options), () => reads.streams.set(stream, (reads.streams.get(stream) ?? 0) + 1));
      }
      if (prop === 'inclusionProof') {
        return (position: number, size: number) => {
          reads.inclusionProofs++;
          return target.inclusionProof(position, size);
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('the cost of packing one AI system', () => {
  let dir: string;
  let store: EventStore;
  const key = generateSignerKey('example.test/aims');
  const config: CheckpointConfig = {
    origin: 'example.test/aims',
    signerKey: { text: key.signerKey },
    verifierKeys: [],
    everyEvents: 1000,
    everyMs: 300_000,
  };
  const SYSTEM_EVENTS = 20;
  const NOISE_PER_STEP = 400;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-pack-cost-'));
    store = await openEventStore(`sqlite:${path.join(dir, 'evidence.db')}`);
    for (let i = 0; i < SYSTEM_EVENTS; i++) {
      const noise = Array.from({ length: NOISE_PER_STEP }, (_, j) => ({
        id: randomUUID(),
        type: 'MonitoringReportRecorded',
        data: { j },
        metadata: {},
      }));
      await store.append(`ai-system-other${i % 5}`, noise);
      await store.append('ai-system-42', [
        {
          id: randomUUID(),
          type: i === 3 ? 'IncidentReported' : 'MonitoringReportRecorded',
          data: i === 3 ? { nonconformityId: 'nc-42-incident-1' } : { i },
          metadata: {},
        },
      ]);
      if (i >= 3 && i < 6)
        await store.append('nonconformity-nc-42-incident-1', [
          { id: randomUUID(), type: 'ContainmentRecorded', data: { i }, metadata: {} },
        ]);
    }
  });

  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads only the system and its nonconformity, a bounded number of times, with one audit path per event', async () => {
    const head = (await store.head())!.position;
    const reads: Reads = { readAll: [], streams: new Map(), inclusionProofs: 0 };
    const result = await writeEvidencePack(counting(store, reads), config, {
      asOf: { position: head },
      requested: String(head),
      systems: ['42'],
      streams: [],
      out: path.join(dir, 'system.tar'),
      gzip: false,
    });
    const selected = SYSTEM_EVENTS + 3;
    expect(result.manifest.events.count).toBe(selected);
    expect(head).toBeGreaterThan(100 * selected); // the log is far larger than the system's history
    expect(reads.readAll).toEqual([]);
    expect([...reads.streams.keys()].sort()).toEqual(['ai-system-42', 'nonconformity-nc-42-incident-1']);
    // link discovery, the events, the name, and the index's three sections: a constant number of passes
    const total = [...reads.streams.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(6 * selected);
    expect(reads.inclusionProofs).toBe(selected);
  });

  it('finds the position of an as-of time with O(log n) single-event reads', async () => {
    const head = (await store.head())!.position;
    const middle = (await (async () => {
      for await (const e of store.readAll({ fromPosition: Math.floor(head / 2), maxCount: 1 })) return e;
      return undefined;
    })())!;
    const reads: Reads = { readAll: [], streams: new Map(), inclusionProofs: 0 };
    const result = await writeEvidencePack(counting(store, reads), config, {
      asOf: { time: middle.recordedAt },
      requested: middle.recordedAt,
      systems: ['42'],
      streams: [],
      out: path.join(dir, 'timed.tar'),
      gzip: false,
    });
    expect(result.manifest.asOf.position).toBeGreaterThanOrEqual(middle.position);
    expect(reads.readAll.length).toBeLessThanOrEqual(Math.ceil(Math.log2(head)) + 1);
    expect(reads.readAll.every((r) => r.maxCount === 1 && r.events <= 1)).toBe(true);
  });
});
