import { AppendCommand, AppendState, decideAppend, decideAppendGroup, validateAppend } from '../../../domain/evidence/evidence-append';
import { EventIdConflictError, InvalidStreamNameError, WrongExpectedRevisionError } from '../../../domain/evidence/evidence-errors';
import { isStreamInCategory, streamName, streamNameProblem } from '../../../domain/evidence/stream-name';

const ID_A = '11111111-1111-4111-8111-111111111111';
const ID_B = '22222222-2222-4222-8222-222222222222';

const emptyState: AppendState = {
  recordedWithSameIds: [],
  streamRevision: null,
  chainTip: null,
  nowMs: Date.parse('2025-01-01T00:00:00.000Z'),
};

function command(expectedRevision: AppendCommand['expectedRevision'] = 'any'): AppendCommand {
  return validateAppend(
    'ai-system-1',
    [
      { id: ID_A, type: 'AiSystemRegistered', data: { b: 1, a: 2 } },
      { id: ID_B, type: 'RiskAssessed', data: {}, metadata: { source: 'api' } },
    ],
    { expectedRevision },
  );
}

describe('stream names', () => {
  it('given names, when checked, then <category>-<id> with safe characters is accepted', () => {
    expect(streamNameProblem('ai-system-42')).toBeUndefined();
    expect(streamNameProblem('risk-3f2a9c1e-0b6d-4e1f-9a7b-5c4d3e2f1a0b')).toBeUndefined();
    expect(streamNameProblem('ai')).toMatch(/category/);
    expect(() => streamName('ai system', 1)).toThrow();
    expect(streamName('ai-system', 42)).toBe('ai-system-42');
  });

  it('given a stream, when its category is tested, then it is a prefix up to a dash', () => {
    expect(isStreamInCategory('ai-system-42', 'ai-system')).toBe(true);
    expect(isStreamInCategory('ai-systemic-42', 'ai-system')).toBe(false);
  });
});

describe('deciding an append', () => {
  it('given an empty store, when deciding, then the batch starts the chain at the genesis value with canonical data', () => {
    const decision = decideAppend(command('no_stream'), emptyState);
    expect(decision).toMatchObject({ kind: 'append', nextExpectedRevision: 1, lastPosition: 2 });
    if (decision.kind !== 'append') throw new Error('unreachable');
    expect(decision.envelopes.map((e) => [e.revision, e.position, e.dataJson, e.metadataJson])).toEqual([
      [0, 1, '{"a":2,"b":1}', '{}'],
      [1, 2, '{}', '{"source":"api"}'],
    ]);
  });

  it('given a clock behind the chain tip, when deciding, then recordedAt is clamped to the tip so time never goes back', () => {
    const decision = decideAppend(command(), {
      ...emptyState,
      chainTip: { position: 9, recordedAt: '2025-06-01T00:00:00.000Z' },
    });
    expect(decision.kind === 'append' && decision.envelopes[0].recordedAt).toBe('2025-06-01T00:00:00.000Z');
  });

  it('given a stream at revision 4, when expecting 3, then WrongExpectedRevisionError with actual 4', () => {
    expect(() => decideAppend(command(3), { ...emptyState, streamRevision: 4 })).toThrow(WrongExpectedRevisionError);
  });

  it('given the batch already recorded, when deciding with a stale expectation, then already-recorded with the first result', () => {
    const c = command('no_stream');
    const recorded = c.events.map((e, i) => ({
      id: e.id,
      stream: c.stream,
      type: e.type,
      revision: i,
      position: 5 + i,
      dataJson: e.dataJson,
      metadataJson: e.metadataJson,
    }));
    expect(decideAppend(c, { ...emptyState, recordedWithSameIds: recorded, streamRevision: 1 })).toEqual({
      kind: 'already-recorded',
      stream: 'ai-system-1',
      nextExpectedRevision: 1,
      lastPosition: 6,
    });
  });

  it('given an id recorded with other data, when deciding, then EventIdConflictError', () => {
    const c = command();
    const other = {
      id: ID_A,
      stream: c.stream,
      type: 'AiSystemRegistered',
      revision: 0,
      position: 1,
      dataJson: '{"a":3}',
      metadataJson: '{}',
    };
    expect(() => decideAppend(c, { ...emptyState, recordedWithSameIds: [other] })).toThrow(EventIdConflictError);
  });

  it('given a bad stream name, when validating, then InvalidStreamNameError', () => {
    expect(() => validateAppend('no_dash', [{ id: ID_A, type: 'T', data: {} }])).toThrow(InvalidStreamNameError);
  });

  it('given a group of appends, when decided together, then each sees the ones before it and a refused one leaves the others alone', () => {
    // given: the same batch twice (a racing retry), then an append expecting a stale revision, then a fresh one
    const first = command('no_stream');
    const stale = validateAppend('ai-system-1', [{ id: '33333333-3333-4333-8333-333333333333', type: 'T', data: {} }], {
      expectedRevision: 0,
    });
    const fresh = validateAppend('risk-1', [{ id: '44444444-4444-4444-8444-444444444444', type: 'T', data: {} }]);
    // when
    const group = decideAppendGroup([first, command('no_stream'), stale, fresh], {
      recorded: [],
      streamRevisions: new Map(),
      chainTip: { position: 10, recordedAt: '2025-01-01T00:00:00.000Z' },
      nowMs: Date.parse('2025-01-01T00:00:00.000Z'),
    });
    // then
    expect(group.outcomes[0]).toMatchObject({ kind: 'append', lastPosition: 12, nextExpectedRevision: 1 });
    expect(group.outcomes[1]).toEqual({ kind: 'already-recorded', stream: 'ai-system-1', nextExpectedRevision: 1, lastPosition: 12 });
    expect(group.outcomes[2]).toBeInstanceOf(WrongExpectedRevisionError);
    expect(group.outcomes[2]).toMatchObject({ actualRevision: 1 });
    expect(group.outcomes[3]).toMatchObject({ kind: 'append', lastPosition: 13, nextExpectedRevision: 0 });
    expect(group.envelopes.map((e) => e.position)).toEqual([11, 12, 13]);
  });
});
