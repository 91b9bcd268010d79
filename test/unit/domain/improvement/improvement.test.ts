/** The improvement register (10.1) as a decider: who proposes, decides and records the outcome, in which order. */
import { decideImprovement, evolveImprovement, type ImprovementCommand, type ImprovementEvent } from '../../../../domain/improvement';
import type { Actor } from '../../../../domain/shared/roles';
import { deciderSpec, expectError } from '../../../support/decider-spec';

const { given } = deciderSpec({ decide: decideImprovement, evolve: evolveImprovement, initialState: null });
const AT = '2026-04-01T10:00:00.000Z';
const erin: Actor = { id: 'erin', roles: ['engineer'] };
const olivia: Actor = { id: 'olivia', roles: ['aims_owner'] };
const ines: Actor = { id: 'ines', roles: ['internal_auditor'] };
const audrey: Actor = { id: 'audrey', roles: ['auditor'] };

const propose = (by?: Actor, extra: Partial<ImprovementCommand> = {}): ImprovementCommand =>
  ({
    type: 'ProposeImprovement',
    improvementId: 'OFI-1',
    source: { kind: 'incident', reference: 'INC-4' },
    description: 'Alert on input drift earlier',
    owner: 'erin',
    ...(by === undefined ? {} : { by }),
    at: AT,
    ...extra,
  }) as ImprovementCommand;
const proposed = (): ImprovementEvent[] =>
  given()
    .when(propose(erin))
    .then([expect.objectContaining({ type: 'ImprovementProposed' })]).events;
const decided = (outcome: 'accepted' | 'rejected'): ImprovementEvent[] => [
  ...proposed(),
  ...given(proposed()).when({ type: 'DecideImprovement', outcome, rationale: 'why', by: olivia, at: AT }).then([expect.anything()]).events,
];

test('given nothing, when an engineer proposes one, then it is proposed; an internal or read-only auditor may not propose directly', () => {
  expect(
    given()
      .when(propose(erin))
      .then([expect.objectContaining({ owner: 'erin', by: { id: 'erin', role: 'engineer' } })]).state?.status,
  ).toBe('proposed');
  given()
    .when(propose(ines))
    .then(expectError('MISSING_ROLE', { step: 'propose an improvement', actorId: 'ines' }));
  given().when(propose(audrey)).then(expectError('MISSING_ROLE'));
  given()
    .when(propose(erin, { source: { kind: 'rumour' as never, reference: null } }))
    .then(expectError('VALIDATION_FAILED', { issues: [{ field: 'source.kind' }] }));
});

test('given an internal audit proposes it, when it names its auditor as openedBy, then the auditor is recorded', () => {
  given()
    .when(
      propose(undefined, { openedBy: { id: 'ines', role: 'internal_auditor' }, source: { kind: 'internal_audit', reference: 'IA-1/F2' } }),
    )
    .then([expect.objectContaining({ by: { id: 'ines', role: 'internal_auditor' } })]);
});

test('given a proposal, when an engineer decides, then MISSING_ROLE; the AIMS owner accepts it; the outcome waits for acceptance', () => {
  given(proposed())
    .when({ type: 'DecideImprovement', outcome: 'accepted', rationale: 'x', by: erin, at: AT })
    .then(expectError('MISSING_ROLE', { step: 'decide an improvement' }));
  given(proposed())
    .when({ type: 'RecordImprovementOutcome', text: 'done', evidenceRefs: [], by: erin, at: AT })
    .then(expectError('INVALID_TRANSITION'));
  expect(decided('accepted').length).toBe(2);
});

test('given it is accepted, when someone else than its owner or the AIMS owner records the outcome, then NOT_IMPROVEMENT_OWNER; the owner does', () => {
  given(decided('accepted'))
    .when({ type: 'RecordImprovementOutcome', text: 'done', evidenceRefs: [], by: { id: 'omar', roles: ['engineer'] }, at: AT })
    .then(expectError('NOT_IMPROVEMENT_OWNER'));
  const { state } = given(decided('accepted'))
    .when({ type: 'RecordImprovementOutcome', text: 'done', evidenceRefs: ['PR-1'], by: erin, at: AT })
    .then([expect.objectContaining({ type: 'ImprovementOutcomeRecorded' })]);
  expect(state?.status).toBe('implemented');
  given(decided('rejected'))
    .when({ type: 'RecordImprovementOutcome', text: 'done', evidenceRefs: [], by: erin, at: AT })
    .then(expectError('INVALID_TRANSITION'));
});
