/** Management review (9.3) as a decider: order of steps, who may take them, segregation of duties at sign-off. */
import { createHash } from 'node:crypto';
import {
  compileReviewInputs,
  decide,
  evolve,
  managementReviewReport,
  MANAGEMENT_REVIEW_ISO_42001_REFERENCES,
  packHashOf,
  type CompileReviewInputs,
  type ManagementReviewCommand,
  type ManagementReviewEvent,
  type ManagementReviewState,
} from '../../../../domain/management-review';
import { tabledReferences } from '../../../../domain/iso-references';
import type { Actor } from '../../../../domain/shared/roles';
import { deciderSpec, expectError } from '../../../support/decider-spec';

const { given } = deciderSpec({ decide, evolve, initialState: null as ManagementReviewState });
const AT = '2026-04-01T10:00:00.000Z';
const tess: Actor = { id: 'tess', roles: ['top_management'] };
const tom: Actor = { id: 'tom', roles: ['top_management'] };
const olivia: Actor = { id: 'olivia', roles: ['aims_owner'] };
const erin: Actor = { id: 'erin', roles: ['engineer'] };
const sha = (t: string): string => createHash('sha256').update(t, 'utf8').digest('hex');

const plan: ManagementReviewCommand = {
  type: 'PlanManagementReview',
  reviewId: 'MR-2026',
  title: 'Management review 2026',
  plannedFor: '2026-05-01T09:00:00Z',
  chair: 'tess',
  interval: 'P182D',
  by: olivia,
  at: AT,
};
const planned = (): ManagementReviewEvent[] =>
  given()
    .when(plan)
    .then([expect.objectContaining({ type: 'ManagementReviewPlanned' })]).events;
const pack = compileReviewInputs([], { reviewId: 'MR-2026' });
const compile = (by?: Actor): CompileReviewInputs => ({
  type: 'CompileReviewInputs',
  position: 0,
  packHash: packHashOf(pack, sha),
  pack,
  ...(by === undefined ? {} : { by }),
  at: '2026-05-01T09:00:00.000Z',
});
const compiled = (): ManagementReviewEvent[] => {
  const p = planned();
  return [...p, ...given(p).when(compile()).then([expect.anything()]).events];
};
const minutes = (attendees = ['tess', 'olivia'], by: Actor = olivia): ManagementReviewCommand => ({
  type: 'RecordReviewMinutes',
  attendees,
  minutes: 'Reviewed the pack; agreed two actions.',
  by,
  at: '2026-05-01T11:00:00.000Z',
});
const minuted = (): ManagementReviewEvent[] => {
  const c = compiled();
  return [...c, ...given(c).when(minutes()).then([expect.anything()]).events];
};
const decision = (by: Actor = tess, extra: Partial<ManagementReviewCommand> = {}): ManagementReviewCommand =>
  ({
    type: 'RecordReviewDecision',
    kind: 'resource_need',
    owner: 'olivia',
    dueDate: '2026-07-31',
    text: 'Hire a second validator',
    by,
    at: '2026-05-01T11:30:00.000Z',
    ...extra,
  }) as ManagementReviewCommand;

test('planned by the AIMS owner or top management, with a valid plan; an engineer may not plan one', () => {
  expect(
    given()
      .when(plan)
      .then([expect.objectContaining({ series: 'MR-2026', sequence: 1, by: { id: 'olivia', role: 'aims_owner' } })]).state?.status,
  ).toBe('planned');
  given()
    .when({ ...plan, by: erin })
    .then(expectError('MISSING_ROLE'));
  const bad = given()
    .when({ ...plan, interval: 'P1M', plannedFor: 'soon' })
    .then(expectError('VALIDATION_FAILED'));
  expect((bad.details.issues as { field: string }[]).map((i) => i.field)).toEqual(['plannedFor', 'interval']);
  given(planned()).when(plan).then(expectError('REVIEW_ALREADY_PLANNED'));
});

test('the inputs are compiled by the timer or on demand; the minutes need them, and freeze them', () => {
  given(planned()).when(minutes()).then(expectError('INVALID_TRANSITION'));
  given(planned()).when(compile(erin)).then(expectError('MISSING_ROLE'));
  given(planned())
    .when({ ...compile(), packHash: 'nothex' })
    .then(expectError('VALIDATION_FAILED'));
  given(planned())
    .when({ ...compile(), pack: { ...pack, reviewId: 'other' } })
    .then(expectError('VALIDATION_FAILED'));
  const s = given(planned())
    .when(compile(tess))
    .then([expect.objectContaining({ position: 0, by: { id: 'tess', role: 'top_management' } })]).state;
  expect(s?.status).toBe('inputs_compiled');
  given(minuted()).when(compile()).then(expectError('INVALID_TRANSITION'));
});

test('the chair must attend; minutes by top management or the AIMS owner only', () => {
  given(compiled())
    .when(minutes(['olivia', 'tom']))
    .then(expectError('CHAIR_NOT_IN_ATTENDANCE', { chair: 'tess' }));
  given(compiled())
    .when(minutes(['tess', 'tess']))
    .then(expectError('VALIDATION_FAILED'));
  given(compiled())
    .when(minutes(['tess'], erin))
    .then(expectError('MISSING_ROLE'));
  expect(given(compiled()).when(minutes()).then([expect.anything()]).state?.minutes?.attendees).toEqual(['tess', 'olivia']);
});

test('each decision is top management’s and names the improvement action that carries it', () => {
  given(compiled()).when(decision()).then(expectError('INVALID_TRANSITION'));
  given(minuted())
    .when(decision(olivia))
    .then(expectError('MISSING_ROLE', { requiredRoles: ['top_management'] }));
  given(minuted())
    .when(decision(tess, { dueDate: '2026-04-30' }))
    .then(expectError('VALIDATION_FAILED'));
  given(minuted())
    .when(decision(tess, { kind: 'wish' } as never))
    .then(expectError('VALIDATION_FAILED'));
  const first = given(minuted())
    .when(decision())
    .then([expect.objectContaining({ decisionId: 'decision-1', actionId: 'MR-2026.decision-1', owner: 'olivia', dueDate: '2026-07-31' })]);
  given([...minuted(), ...first.events])
    .when(decision(tess, { kind: 'change_to_the_aims' }))
    .then([expect.objectContaining({ decisionId: 'decision-2', actionId: 'MR-2026.decision-2' })]);
});

test('sign-off: top management who attended; the AIMS owner alone may not sign; signing schedules the next review', () => {
  const m = minuted();
  given(m)
    .when({ type: 'SignOffReview', by: olivia, at: AT })
    .then(expectError('SIGN_OFF_NEEDS_TOP_MANAGEMENT', { actorId: 'olivia' }));
  given(m)
    .when({ type: 'SignOffReview', by: tom, at: AT })
    .then(expectError('SIGNER_NOT_IN_ATTENDANCE', { actorId: 'tom' }));
  given(compiled()).when({ type: 'SignOffReview', by: tess, at: AT }).then(expectError('INVALID_TRANSITION'));
  const both: Actor = { id: 'olivia', roles: ['aims_owner', 'top_management'] };
  given(m)
    .when({ type: 'SignOffReview', by: both, at: AT })
    .then([expect.objectContaining({ by: { id: 'olivia', role: 'top_management' } }), expect.anything()]);
  const done = given(m)
    .when({ type: 'SignOffReview', by: tess, at: '2026-05-02T08:00:00.000Z' })
    .then([
      expect.objectContaining({ type: 'ManagementReviewSignedOff', decisionCount: 0 }),
      expect.objectContaining({ type: 'ManagementReviewNextScheduled', nextReviewId: 'MR-2026-2', plannedFor: '2026-10-30T09:00:00.000Z' }),
    ]);
  expect(done.state?.status).toBe('signed_off');
  given([...m, ...done.events])
    .when(decision())
    .then(expectError('INVALID_TRANSITION'));
  given([...m, ...done.events])
    .when({ type: 'CancelReview', reason: 'x', by: olivia, at: AT })
    .then(expectError('INVALID_TRANSITION'));
});

test('a review can be cancelled before sign-off, with a reason', () => {
  given(planned()).when({ type: 'CancelReview', reason: ' ', by: olivia, at: AT }).then(expectError('VALIDATION_FAILED'));
  expect(
    given(planned()).when({ type: 'CancelReview', reason: 'merged into Q3', by: olivia, at: AT }).then([expect.anything()]).state?.status,
  ).toBe('cancelled');
});

test('every event type is evidence for 9.3, and the evidence tables know its stream', () => {
  for (const [type, refs] of Object.entries(MANAGEMENT_REVIEW_ISO_42001_REFERENCES)) {
    expect(refs).toContain('9.3');
    expect(tabledReferences('management-review-MR-2026', type).clauses).toContain('9.3');
  }
});

test('the report shows the plan, gaps for what is missing, the decisions and the sign-off', () => {
  const m = minuted();
  const signed = given(m)
    .when({ type: 'SignOffReview', by: tess, at: '2026-05-02T08:00:00.000Z' })
    .then([expect.anything(), expect.anything()]);
  const review = signed.state;
  if (review === null) throw new Error('no review');
  const doc = managementReviewReport(
    review,
    review.inputs?.pack ?? null,
    { position: 0 },
    { generatedAt: AT, evidence: { signedOff: ['e9'] } },
  );
  expect(doc.kind).toBe('management-review');
  expect(doc.sections.map((s) => s.id)).toEqual(
    expect.arrayContaining(['plan', 'inputs', 'input-monitoring-results', 'input-previous-actions', 'minutes', 'decisions', 'sign-off']),
  );
  const monitoring = doc.sections.find((s) => s.id === 'input-monitoring-results');
  expect(monitoring?.statements.some((s) => s.tone === 'gap' && /ObjectiveMeasured/.test(s.text))).toBe(true);
  expect(doc.sections.find((s) => s.id === 'sign-off')?.statements[0]).toMatchObject({ tone: 'ok', evidence: ['e9'] });
});
