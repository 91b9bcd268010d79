/**
 * The Statement of Applicability as a governed process: every Annex A control decided on, a revision
 * proposed, reviewed and approved by top management (never by its proposer), the last approved one in
 * force, revision requests answered or dismissed, manual controls attested; and each control's status.
 */
import { ANNEX_A_CONTROL_IDS } from '../../../../domain/catalogue';
import {
  decide,
  evolve,
  eventReferences,
  INITIAL_SOA_STATE,
  judgeControls,
  soaGaps,
  soaView,
  type SoaCommand,
  type SoaEntryInput,
  type SoaEvent,
  type SoaState,
} from '../../../../domain/soa';
import type { Actor } from '../../../../domain/shared/roles';
import { deciderSpec, expectError } from '../../../support/decider-spec';

const { given } = deciderSpec({ decide, evolve, initialState: INITIAL_SOA_STATE });
const AT = '2026-01-05T10:00:00.000Z';
const owner: Actor = { id: 'Amara', roles: ['aims_owner'] };
const ownerAgain: Actor = { id: 'amara', roles: ['aims_owner', 'top_management'] };
const risk: Actor = { id: 'rita', roles: ['risk_owner'] };
const top: Actor = { id: 'tara', roles: ['top_management'] };
const engineer: Actor = { id: 'erin', roles: ['engineer'] };

const entries = (excluded: string[] = ['A.10.4']): SoaEntryInput[] => [
  ...ANNEX_A_CONTROL_IDS.map((controlId) =>
    excluded.includes(controlId)
      ? { controlId, applicable: false, justification: { text: 'We have no customers of our AI systems' } }
      : {
          controlId,
          applicable: true,
          justification: {
            text: 'Needed for our high-risk systems',
            riskIds: ['R-1'],
            obligations: ['EU AI Act Art.9'],
            scope: 'credit products',
          },
          owner: 'amara',
          implementation: 'Enforced by the lifecycle workflow',
        },
  ),
  {
    controlId: 'ORG-1',
    title: 'Model cards published',
    applicable: true,
    justification: { text: 'Customer commitment' },
    owner: 'olivia',
    implementation: 'Docs site',
  },
];

const propose = (by: Actor = owner, n = 1, extra: Partial<SoaCommand> = {}): SoaCommand =>
  ({
    type: 'ProposeSoaRevision',
    revisionId: `soa-revision-${n}`,
    reviewTaskId: `soa-revision-${n}-review`,
    summary: 'First SoA',
    entries: entries(),
    by,
    at: AT,
    ...extra,
  }) as SoaCommand;
const review = (by: Actor, n = 1, outcome: 'approved' | 'rejected' = 'approved'): SoaCommand => ({
  type: 'ReviewSoaRevision',
  taskId: `soa-revision-${n}-review`,
  outcome,
  reasons: outcome === 'approved' ? [] : ['A.7.4 owner missing'],
  approvalTaskId: `soa-revision-${n}-approval`,
  by,
  at: AT,
});
const approve = (by: Actor, n = 1, outcome: 'approved' | 'rejected' = 'approved'): SoaCommand => ({
  type: 'ApproveSoaRevision',
  taskId: `soa-revision-${n}-approval`,
  outcome,
  reasons: outcome === 'approved' ? [] : ['not now'],
  by,
  at: AT,
});

const history = (...commands: SoaCommand[]): SoaEvent[] => {
  let s: SoaState = INITIAL_SOA_STATE;
  const all: SoaEvent[] = [];
  for (const c of commands) {
    const r = decide(c, s);
    if (!r.ok) throw new Error(`${c.type}: ${r.error.code} ${r.error.message}`);
    all.push(...r.value);
    s = r.value.reduce(evolve, s);
  }
  return all;
};
const approvedFirst = (): SoaEvent[] => history(propose(), review(risk), approve(top));

describe('Statement of Applicability: revisions', () => {
  test('a proposal records every control and opens a review task for the AIMS owner or a risk owner', () => {
    const { events, state } = given([])
      .when(propose())
      .then([
        expect.objectContaining({ type: 'SoaRevisionProposed', revisionId: 'soa-revision-1', by: { id: 'Amara', role: 'aims_owner' } }),
        expect.objectContaining({
          type: 'HumanTaskOpened',
          taskId: 'soa-revision-1-review',
          kind: 'soa_revision_review',
          requiredRoles: ['aims_owner', 'risk_owner'],
          requestedBy: 'Amara',
        }),
      ]);
    const proposed = events[0];
    expect(proposed.type === 'SoaRevisionProposed' && proposed.entries).toHaveLength(39);
    expect(state.inForce).toBeNull();
    expect(state.revisions[0].status).toBe('under_review');
  });

  test('every Annex A control must be decided on; own controls need ORG- ids and titles; applicable ones an owner and an implementation', () => {
    const bad = entries().filter((e) => e.controlId !== 'A.6.2.4');
    bad[0] = { ...bad[0], owner: null };
    bad.push({ controlId: 'X-1', applicable: true, justification: { text: 'x' }, owner: 'a', implementation: 'b' });
    bad.push({ controlId: 'ORG-2', applicable: false, justification: { text: 'x' } });
    const refused = given([])
      .when(propose(owner, 1, { entries: bad }))
      .then(expectError('VALIDATION_FAILED'));
    const issues = (refused.details as { issues: { field: string; problem: string }[] }).issues;
    expect(issues.map((i) => i.field)).toEqual(['entries[0].owner', 'entries[38].controlId', 'entries[39].title', 'entries']);
    expect(issues[3].problem).toContain('A.6.2.4');
  });

  test('an engineer may not propose', () => {
    given([])
      .when(propose(engineer))
      .then(expectError('MISSING_ROLE', { actorId: 'erin' }));
  });

  test('nobody reviews or approves their own proposal, however they spell their name', () => {
    given(history(propose())).when(review(ownerAgain)).then(expectError('SEGREGATION_OF_DUTIES'));
    given(history(propose(), review(risk)))
      .when(approve(ownerAgain))
      .then(expectError('SEGREGATION_OF_DUTIES'));
  });

  test('only top management approves; the review hands it over with an approval task', () => {
    const reviewed = given(history(propose()))
      .when(review(risk))
      .then([
        expect.objectContaining({ type: 'HumanTaskDecided', kind: 'soa_revision_review', outcome: 'approved' }),
        expect.objectContaining({ type: 'SoaRevisionReviewed', revisionId: 'soa-revision-1' }),
        expect.objectContaining({
          type: 'HumanTaskOpened',
          taskId: 'soa-revision-1-approval',
          kind: 'soa_revision_approval',
          requiredRoles: ['top_management'],
        }),
      ]);
    expect(reviewed.state.revisions[0].status).toBe('awaiting_approval');
    given(history(propose(), review(risk)))
      .when(approve(risk))
      .then(expectError('MISSING_ROLE'));
  });

  test('the approval puts the revision in force as version 1; the SoA in force is the last approved one', () => {
    const { state } = given(history(propose(), review(risk)))
      .when(approve(top))
      .then([
        expect.objectContaining({ type: 'HumanTaskDecided', outcome: 'approved' }),
        { type: 'SoaRevisionApproved', revisionId: 'soa-revision-1', version: 1, by: { id: 'tara', role: 'top_management' }, at: AT },
      ]);
    expect(state.inForce?.revisionId).toBe('soa-revision-1');
    // a second revision rejected at approval leaves the first in force
    const after = given([
      ...approvedFirst(),
      ...historyFrom(approvedFirst(), propose(owner, 2), review(risk, 2), approve(top, 2, 'rejected')),
    ]).state;
    expect(after.inForce?.revisionId).toBe('soa-revision-1');
    expect(after.revisions[1].status).toBe('rejected');
    // a third, approved, replaces it
    const third = given([...approvedFirst(), ...historyFrom(approvedFirst(), propose(owner, 2), review(risk, 2), approve(top, 2))]).state;
    expect([third.inForce?.revisionId, third.version]).toEqual(['soa-revision-2', 2]);
  });

  test('one revision at a time', () => {
    given(history(propose()))
      .when(propose(risk, 2))
      .then(expectError('SOA_REVISION_PENDING', { revisionId: 'soa-revision-1' }));
  });

  test('a rejected review ends the revision, with its reasons', () => {
    const { state } = given(history(propose()))
      .when(review(risk, 1, 'rejected'))
      .then([
        expect.objectContaining({ type: 'HumanTaskDecided', outcome: 'rejected' }),
        expect.objectContaining({ type: 'SoaRevisionRejected', stage: 'review', reasons: ['A.7.4 owner missing'] }),
      ]);
    expect(state.inForce).toBeNull();
  });
});

/** Commands decided after a history, returning only the new events. */
function historyFrom(before: SoaEvent[], ...commands: SoaCommand[]): SoaEvent[] {
  let s = before.reduce(evolve, INITIAL_SOA_STATE);
  const out: SoaEvent[] = [];
  for (const c of commands) {
    const r = decide(c, s);
    if (!r.ok) throw new Error(`${c.type}: ${r.error.code} ${r.error.message}`);
    out.push(...r.value);
    s = r.value.reduce(evolve, s);
  }
  return out;
}

describe('revision requests', () => {
  const request: SoaCommand = {
    type: 'RequestSoaRevision',
    requestId: 'soa-request-1',
    taskId: 'soa-request-1-task',
    reason: 'Treatment of R-7 adds A.10.4',
    cause: { kind: 'risk_treatment', riskId: 'R-7', controlsAdded: ['A.10.4'], controlsDropped: [] },
    by: risk,
    at: AT,
  };

  test('a risk treatment that adds a control opens a revision task for the AIMS owner', () => {
    given(approvedFirst())
      .when(request)
      .then([
        expect.objectContaining({
          type: 'SoaRevisionRequested',
          requestId: 'soa-request-1',
          cause: request.type === 'RequestSoaRevision' ? request.cause : null,
        }),
        expect.objectContaining({
          type: 'HumanTaskOpened',
          taskId: 'soa-request-1-task',
          kind: 'soa_revision_request',
          requestedBy: 'rita',
        }),
      ]);
  });

  test('a treatment that changes no control asks for nothing', () => {
    given([])
      .when({ ...request, cause: { kind: 'risk_treatment', riskId: 'R-7', controlsAdded: [], controlsDropped: [] } })
      .then(expectError('VALIDATION_FAILED'));
  });

  test('a revision that answers the request closes its task', () => {
    const { state } = given([...approvedFirst(), ...historyFrom(approvedFirst(), request)])
      .when(propose(owner, 2, { answersRequestIds: ['soa-request-1'] }))
      .then([
        expect.objectContaining({ type: 'SoaRevisionProposed', answersRequestIds: ['soa-request-1'] }),
        expect.objectContaining({ type: 'HumanTaskOpened', kind: 'soa_revision_review' }),
        expect.objectContaining({ type: 'SoaRevisionRequestAnswered', requestId: 'soa-request-1', revisionId: 'soa-revision-2' }),
        expect.objectContaining({ type: 'HumanTaskSuperseded', taskId: 'soa-request-1-task' }),
      ]);
    expect(state.requests[0]).toMatchObject({ status: 'answered', answeredByRevisionId: 'soa-revision-2', taskId: 'soa-request-1-task' });
  });

  test('the AIMS owner may dismiss it with reasons; its requester may not', () => {
    const before = [...approvedFirst(), ...historyFrom(approvedFirst(), request)];
    given(before)
      .when({ type: 'DismissSoaRevisionRequest', taskId: 'soa-request-1-task', reasons: ['A.10.4 is covered by ORG-1'], by: owner, at: AT })
      .then([
        expect.objectContaining({ type: 'HumanTaskDecided', outcome: 'rejected' }),
        expect.objectContaining({ type: 'SoaRevisionRequestDismissed' }),
      ]);
    given(before)
      .when({ type: 'DismissSoaRevisionRequest', taskId: 'soa-request-1-task', reasons: [], by: owner, at: AT })
      .then(expectError('HUMAN_TASK_REASON_REQUIRED'));
  });
});

describe('attestations of manual controls, and each control status', () => {
  const attest = (controlId: string, by: Actor, extra: object = {}): SoaCommand => ({
    type: 'AttestControlStatus',
    controlId,
    status: 'operates',
    evidenceRefs: ['doc:ai-policy-v3'],
    note: 'Policy approved 2026-01-02',
    reviewBy: '2026-07-01',
    by,
    at: AT,
    ...extra,
  });

  test("the control's owner or the AIMS owner attests a manual control; the event is evidence for that control", () => {
    const { events } = given(approvedFirst())
      .when(attest('ORG-1', { id: 'Olivia', roles: ['engineer'] }))
      .then([expect.objectContaining({ type: 'ControlStatusAttested', controlId: 'ORG-1' })]);
    expect(eventReferences(events[0])).toEqual(['8.1', '9.1']);
    const a22 = given(approvedFirst())
      .when(attest('A.2.2', owner))
      .then([expect.objectContaining({ type: 'ControlStatusAttested' })]);
    expect(eventReferences(a22.events[0])).toEqual(['8.1', '9.1', 'A.2.2']);
    given(approvedFirst()).when(attest('A.2.2', engineer)).then(expectError('MISSING_ROLE'));
  });

  test('ruled, excluded and unknown controls take no attestation; an operating claim names its evidence', () => {
    given(approvedFirst()).when(attest('A.6.2.4', owner)).then(expectError('CONTROL_HAS_RULE'));
    given(approvedFirst()).when(attest('A.10.4', owner)).then(expectError('CONTROL_NOT_APPLICABLE'));
    given([]).when(attest('A.2.2', owner)).then(expectError('CONTROL_NOT_IN_SOA'));
    given(approvedFirst())
      .when(attest('A.2.2', owner, { evidenceRefs: [], reviewBy: '2025-01-01' }))
      .then(expectError('VALIDATION_FAILED'));
  });

  test('status: rules judge ruled controls, attestations the others until their review date, excluded ones are not applicable; gaps list the rest', () => {
    const s = [
      ...approvedFirst(),
      ...historyFrom(approvedFirst(), attest('A.2.2', owner), attest('A.2.3', owner, { status: 'does_not_operate', evidenceRefs: [] })),
    ].reduce(evolve, INITIAL_SOA_STATE);
    const verdicts = judgeControls([], AT);
    const view = soaView(s, verdicts, '2026-02-01T00:00:00.000Z');
    const row = (id: string) => view.controls.find((c) => c.controlId === id);
    expect(row('A.6.2.4')).toMatchObject({
      method: 'rule',
      status: 'operates',
      checked: 0,
      euAiAct: ['Art.15', 'Art.9'],
      nistAiRmf: ['GOVERN', 'MAP', 'MEASURE', 'MANAGE'],
    });
    expect(row('A.2.2')).toMatchObject({ method: 'attestation', status: 'operates' });
    expect(row('A.2.3')?.status).toBe('does_not_operate');
    expect(row('A.2.4')).toMatchObject({ status: 'manual', missing: [expect.stringContaining('no attestation')] });
    expect(row('A.10.4')?.status).toBe('not_applicable');
    expect(row('ORG-1')).toMatchObject({ source: 'own', title: 'Model cards published' });
    expect(view.summary).toEqual({ operates: 6, does_not_operate: 1, manual: 31, not_applicable: 1 });
    const gaps = soaGaps(view);
    expect(gaps.map((g) => g.controlId)).not.toContain('A.10.4');
    expect(gaps.map((g) => g.controlId)).toContain('A.2.3');
    // after the review date the attestation has lapsed
    const later = soaView(s, verdicts, '2026-07-02T00:00:00.000Z');
    expect(later.controls.find((c) => c.controlId === 'A.2.2')).toMatchObject({
      status: 'manual',
      missing: [expect.stringContaining('lapsed')],
    });
  });
});
