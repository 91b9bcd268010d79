import type { RecordedEvidenceEvent } from '../../../infra/ports/event-store.port';
import type { AnyReadModel, Projected, ReadModelDefinition } from '../../../infra/ports/read-model-store.port';
import {
  derivedGroup,
  keysTouched,
  LoadedRows,
  modelNamesIn,
  modelsFingerprint,
  projectBatch,
} from '../../../infra/projections/project-batch';
import { EvidenceLog } from '../../support/recorded-events';

/** A tiny read model: counts events per stream and remembers the last type; deletes on "Erased". */
interface CountRow {
  stream: string;
  count: number;
  lastType: string;
  note?: string;
}
const COUNTS: ReadModelDefinition<CountRow, { seen: number }> = {
  name: 'counts',
  version: 1,
  columns: [{ name: 'count', type: 'integer', value: (r) => r.count }],
  keyOf: (e) => (e.stream.startsWith('thing-') ? e.stream : null),
  apply(current: Projected<CountRow, { seen: number }> | null, e: RecordedEvidenceEvent) {
    if (e.type === 'Erased') return null;
    if (e.type === 'Broken') throw new Error('cannot fold a broken event');
    const count = (current?.row.count ?? 0) + 1;
    // `note: undefined` disappears when stored as JSON: the batch must not depend on it.
    return {
      row: { stream: e.stream, count, lastType: e.type, note: current?.row.note === undefined ? undefined : 'kept' },
      state: { seen: count },
    };
  },
};
const MODELS = [COUNTS] as readonly AnyReadModel[];

function foldOneByOne(events: RecordedEvidenceEvent[]): Map<string, Projected<unknown, unknown> | null> {
  // As a live projector would: one event per batch, rows stored as JSON between batches.
  const stored = new Map<string, Projected<unknown, unknown> | null>();
  let after = 0;
  for (const event of events) {
    const loaded: LoadedRows = new Map([
      ['counts', new Map([...(keysTouched(MODELS, [event]).get('counts') ?? [])].map((k) => [k, stored.get(k) ?? null]))],
    ]);
    const outcome = projectBatch(MODELS, [event], loaded, after);
    for (const [key, value] of outcome.changes.get('counts') ?? [])
      stored.set(key, value === null ? null : JSON.parse(JSON.stringify(value)));
    after = outcome.lastPosition;
  }
  return stored;
}

describe('projectBatch', () => {
  const log = new EvidenceLog();
  log.record('thing-1', [{ type: 'Made' }, { type: 'Changed' }]);
  log.record('other-1', [{ type: 'Ignored' }]);
  log.record('thing-2', [{ type: 'Made' }, { type: 'Erased' }]);
  log.record('thing-1', [{ type: 'Changed' }]);

  it('given events of several streams, when folded in one batch, then only the touched rows change and the checkpoint is the last position', () => {
    const loaded: LoadedRows = new Map([
      ['counts', new Map([...(keysTouched(MODELS, log.events).get('counts') ?? [])].map((k) => [k, null]))],
    ]);
    const outcome = projectBatch(MODELS, log.events, loaded, 0);
    expect(outcome.lastPosition).toBe(6);
    expect(outcome.skipped).toEqual([]);
    const changes = outcome.changes.get('counts') as Map<string, Projected<CountRow, unknown> | null>;
    expect([...changes.keys()].sort()).toEqual(['thing-1', 'thing-2']);
    expect(changes.get('thing-1')?.row).toEqual({ stream: 'thing-1', count: 3, lastType: 'Changed' });
    expect(changes.get('thing-2')).toBeNull();
  });

  it('given the same events, when folded one per batch or all at once, then the rows are the same', () => {
    const loaded: LoadedRows = new Map([
      ['counts', new Map([...(keysTouched(MODELS, log.events).get('counts') ?? [])].map((k) => [k, null]))],
    ]);
    const once = projectBatch(MODELS, log.events, loaded, 0).changes.get('counts');
    const oneByOne = foldOneByOne(log.events);
    expect(JSON.stringify([...(once ?? [])].sort())).toEqual(JSON.stringify([...oneByOne].sort()));
  });

  it('given an event a read model cannot fold, when projected, then it is skipped for that model and reported', () => {
    const bad = new EvidenceLog();
    bad.record('thing-9', [{ type: 'Made' }, { type: 'Broken' }, { type: 'Changed' }]);
    const outcome = projectBatch(MODELS, bad.events, new Map([['counts', new Map([['thing-9', null]])]]), 0);
    expect(outcome.skipped).toEqual([{ position: 2, model: 'counts', error: 'cannot fold a broken event' }]);
    expect((outcome.changes.get('counts')?.get('thing-9') as Projected<CountRow, unknown>).row.count).toBe(2);
    expect(outcome.lastPosition).toBe(3);
  });

  it('given events that do not follow the checkpoint in order, when projected, then it refuses', () => {
    expect(() => projectBatch(MODELS, log.events.slice(2), new Map(), 3)).toThrow(RangeError);
  });

  it('given definitions, when fingerprinted, then the fingerprint names each model and version in a stable order', () => {
    const other = { ...COUNTS, name: 'apples', version: 3 } as AnyReadModel;
    expect(modelsFingerprint([...MODELS, other])).toBe('apples@3,counts@1');
    expect(modelNamesIn('apples@3,counts@1')).toEqual(['apples', 'counts']);
    expect(modelNamesIn('')).toEqual([]);
  });
});

/** One row per event type a counted stream has seen, derived from COUNTS' fold (one stream, many rows). */
interface SeenRow {
  stream: string;
  type: string;
}
const SEEN: ReadModelDefinition<SeenRow, null> = {
  name: 'seen',
  version: 1,
  columns: [{ name: 'type', type: 'text', value: (r) => r.type }],
  keyOf: () => null,
  apply: (current) => current,
  derived: [
    {
      from: COUNTS,
      rowsOf(source, key) {
        const row = source.row as CountRow;
        if (row.lastType === 'Cursed') throw new Error('cannot derive from a cursed thing');
        // The last type only: so a later batch visibly replaces what an earlier one derived.
        return [{ key: `${key}/${row.lastType}`, row: { stream: key, type: row.lastType } }];
      },
    },
  ],
};
const WITH_SEEN = [COUNTS, SEEN] as readonly AnyReadModel[];

function loadedFor(models: readonly AnyReadModel[], events: RecordedEvidenceEvent[]): LoadedRows {
  return new Map([...keysTouched(models, events)].map(([name, keys]) => [name, new Map([...keys].map((k) => [k, null]))]));
}

describe('projectBatch with derived rows', () => {
  it('given source rows changed in a batch, when projected, then each changed source row replaces the rows derived from it, and a removed one leaves none', () => {
    const log = new EvidenceLog();
    log.record('thing-1', [{ type: 'Made' }, { type: 'Changed' }]);
    log.record('thing-2', [{ type: 'Made' }, { type: 'Erased' }]);
    const outcome = projectBatch(WITH_SEEN, log.events, loadedFor(WITH_SEEN, log.events), 0);
    expect(outcome.derived.get('seen')).toEqual(
      new Map([
        [derivedGroup(COUNTS as AnyReadModel, 'thing-1'), [{ key: 'thing-1/Changed', row: { stream: 'thing-1', type: 'Changed' } }]],
        [derivedGroup(COUNTS as AnyReadModel, 'thing-2'), []],
      ]),
    );
    // The source model's own rows are unaffected by what is derived from them.
    expect(outcome.derived.get('counts')).toEqual(new Map());
  });

  it('given a source row the batch does not change, when projected, then the rows derived from it are left alone', () => {
    const log = new EvidenceLog();
    log.record('other-1', [{ type: 'Ignored' }]);
    expect(projectBatch(WITH_SEEN, log.events, loadedFor(WITH_SEEN, log.events), 0).derived.get('seen')?.size).toBe(0);
  });

  it('given rows that cannot be derived, when projected, then it is reported and the derived rows stay as they were', () => {
    const log = new EvidenceLog();
    log.record('thing-3', [{ type: 'Made' }, { type: 'Cursed' }]);
    const outcome = projectBatch(WITH_SEEN, log.events, loadedFor(WITH_SEEN, log.events), 0);
    expect(outcome.derived.get('seen')?.size).toBe(0);
    expect(outcome.skipped).toEqual([
      { position: 2, model: 'seen', error: 'rows derived from counts thing-3: cannot derive from a cursed thing' },
    ]);
  });
});
