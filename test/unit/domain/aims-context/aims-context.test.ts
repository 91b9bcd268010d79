/**
 * The context registers (4.1, 4.2): issues (with the organisation's AI roles), interested parties with their
 * requirements, obligations with their references; each entry owned, reviewed by a date, every change a new
 * version made against the one recorded; and the changes since a position or an instant.
 */
import {
  contextChangesSince,
  decide,
  dueForReview,
  entriesOf,
  eventData,
  eventReferences,
  evolve,
  INITIAL_AIMS_CONTEXT_STATE,
  type AimsContextCommand,
  type AimsContextEvent,
  type AimsContextState,
  type ContextContent,
  type RecordContextEntry,
} from '../../../../domain/aims-context';
import type { Actor } from '../../../../domain/shared/roles';
import { deciderSpec, expectError } from '../../../support/decider-spec';

const { given } = deciderSpec({ decide, evolve, initialState: INITIAL_AIMS_CONTEXT_STATE });
const AT = '2026-01-05T10:00:00.000Z';
const owner: Actor = { id: 'amara', roles: ['aims_owner'] };
const engineer: Actor = { id: 'erin', roles: ['engineer'] };

const issue: ContextContent = {
  register: 'issue',
  origin: 'external',
  title: 'We provide and use AI systems',
  description: 'Provider of credit scoring to partner banks; user of a third-party LLM',
  aiRoles: ['provider', 'user'],
};
const obligation: ContextContent = {
  register: 'obligation',
  source: 'legal',
  title: 'High-risk AI system requirements',
  description: 'Credit scoring is high-risk under Annex III',
  references: ['EU AI Act Art.9', 'EU AI Act Art.10'],
  appliesTo: ['credit-scoring'],
};
const record = (entryId: string, content: ContextContent, expectedVersion: number | null = null, at = AT): RecordContextEntry => ({
  type: 'RecordContextEntry',
  entryId,
  expectedVersion,
  content,
  owner: 'amara',
  reviewBy: '2027-01-05',
  reason: expectedVersion === null ? 'Initial context' : 'Updated after the regulator guidance',
  by: owner,
  at,
});

const history = (...commands: AimsContextCommand[]): AimsContextEvent[] => {
  let s: AimsContextState = INITIAL_AIMS_CONTEXT_STATE;
  const all: AimsContextEvent[] = [];
  for (const c of commands) {
    const r = decide(c, s);
    if (!r.ok) throw new Error(`${c.type}: ${r.error.code} ${r.error.message}`);
    all.push(...r.value);
    s = r.value.reduce(evolve, s);
  }
  return all;
};

describe('context registers', () => {
  test('given nothing, when an issue naming the AI roles is recorded, then it is version 1 with its owner and review date, evidence for 4.1', () => {
    const { events, state } = given([])
      .when(record('issue-1', issue))
      .then([
        expect.objectContaining({
          type: 'ContextEntryRecorded',
          entryId: 'issue-1',
          register: 'issue',
          version: 1,
          owner: 'amara',
          reviewBy: '2027-01-05',
        }),
      ]);
    expect(eventReferences(events[0])).toEqual(['4.1']);
    expect(entriesOf(state, 'issue').map((e) => e.content)).toEqual([issue]);
    expect(state.counts.issue).toBe(1);
  });

  test('bad content is refused naming the fields: unknown AI role, a party without requirements, an obligation without references', () => {
    const refused = given([])
      .when(record('x-1', { ...issue, aiRoles: ['overlord'] } as unknown as ContextContent))
      .then(expectError('VALIDATION_FAILED'));
    expect((refused.details as { issues: { field: string }[] }).issues.map((i) => i.field)).toEqual(['content.aiRoles']);
    const party = { register: 'interested_party', name: 'Customers', description: 'Applicants', requirements: [], addressedThrough: null };
    given([])
      .when(record('p-1', party as ContextContent))
      .then(expectError('VALIDATION_FAILED'));
    given([])
      .when(record('o-1', { ...obligation, references: [] }))
      .then(expectError('VALIDATION_FAILED'));
    given([])
      .when({ ...record('o-1', obligation), reviewBy: '2025-01-01' })
      .then(expectError('VALIDATION_FAILED'));
  });

  test('only the AIMS owner, top management or a risk owner keep the registers', () => {
    given([])
      .when({ ...record('issue-1', issue), by: engineer })
      .then(expectError('MISSING_ROLE', { actorId: 'erin' }));
  });

  test('a revision is a new version made against the one recorded; a stale one is refused; nothing is overwritten', () => {
    const past = history(record('obligation-1', obligation));
    const { state } = given(past)
      .when(record('obligation-1', { ...obligation, references: ['EU AI Act Art.9'] }, 1))
      .then([expect.objectContaining({ type: 'ContextEntryRecorded', version: 2 })]);
    expect(state.entries['obligation-1'].version).toBe(2);
    given(history(record('obligation-1', obligation), record('obligation-1', obligation, 1)))
      .when(record('obligation-1', obligation, 1))
      .then(expectError('CONTEXT_ENTRY_CHANGED', { version: 2 }));
    given(past).when(record('obligation-1', obligation)).then(expectError('DUPLICATE_ID'));
    given(past)
      .when(record('obligation-1', issue, 1))
      .then(expectError('CONTEXT_REGISTER_MISMATCH'));
  });

  test('a review moves the review date; a retired entry takes no more changes; due for review by date', () => {
    const past = history(record('issue-1', issue));
    given(past)
      .when({ type: 'ReviewContextEntry', entryId: 'issue-1', reviewBy: '2028-01-01', note: 'Still true', by: owner, at: AT })
      .then([expect.objectContaining({ type: 'ContextEntryReviewed', version: 1, reviewBy: '2028-01-01' })]);
    const { state } = given(past)
      .when({ type: 'RetireContextEntry', entryId: 'issue-1', reason: 'We no longer provide AI', by: owner, at: AT })
      .then([expect.objectContaining({ type: 'ContextEntryRetired', version: 1 })]);
    expect(entriesOf(state, 'issue')).toEqual([]);
    expect(entriesOf(state, 'issue', true)).toHaveLength(1);
    expect(dueForReview(given(past).state, '2027-02-01').map((e) => e.entryId)).toEqual(['issue-1']);
    expect(dueForReview(given(past).state, '2026-06-01')).toEqual([]);
  });
});

describe('changes since a position or a date (the management review input)', () => {
  const events = history(
    record('issue-1', issue, null, '2026-01-05T10:00:00.000Z'),
    record('obligation-1', obligation, null, '2026-02-05T10:00:00.000Z'),
    record('obligation-1', obligation, 1, '2026-03-05T10:00:00.000Z'),
    { type: 'RetireContextEntry', entryId: 'issue-1', reason: 'Dropped', by: owner, at: '2026-04-05T10:00:00.000Z' },
  );
  const recorded = events.map((e, i) => ({ type: e.type, data: eventData(e), position: 10 + i, recordedAt: e.at }));

  test('since a position: the later changes, each with its kind, entry, register, who and why', () => {
    expect(contextChangesSince(recorded, { position: 11 })).toEqual([
      {
        entryId: 'obligation-1',
        register: 'obligation',
        change: 'revised',
        version: 2,
        at: '2026-03-05T10:00:00.000Z',
        position: 12,
        by: 'amara',
        why: 'Updated after the regulator guidance',
      },
      {
        entryId: 'issue-1',
        register: 'issue',
        change: 'retired',
        version: 1,
        at: '2026-04-05T10:00:00.000Z',
        position: 13,
        by: 'amara',
        why: 'Dropped',
      },
    ]);
  });

  test('since a date: everything recorded after it', () => {
    expect(contextChangesSince(recorded, { time: '2026-01-31T00:00:00.000Z' }).map((c) => [c.entryId, c.change])).toEqual([
      ['obligation-1', 'added'],
      ['obligation-1', 'revised'],
      ['issue-1', 'retired'],
    ]);
  });
});
