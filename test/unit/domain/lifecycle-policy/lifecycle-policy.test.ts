/**
 * The organisation's lifecycle policy as a governed process: only the AIMS owner or top management change
 * it, someone other than the proposer decides, floors hold for every tier, approvals make versions.
 */
import {
  decide,
  evolve,
  INITIAL_LIFECYCLE_POLICY_STATE,
  snapshotFor,
  type LifecyclePolicyCommand,
  type LifecyclePolicyEvent,
  type LifecyclePolicyState,
} from '../../../../domain/lifecycle-policy';
import type { Actor } from '../../../../domain/shared/roles';
import { deciderSpec, expectError } from '../../../support/decider-spec';

const { given } = deciderSpec({ decide, evolve, initialState: INITIAL_LIFECYCLE_POLICY_STATE });
const AT = '2026-01-05T10:00:00.000Z';
const owner: Actor = { id: 'Amara', roles: ['aims_owner'] };
const ownerLowerCase: Actor = { id: 'amara', roles: ['aims_owner'] };
const top: Actor = { id: 'tara', roles: ['top_management'] };
const engineer: Actor = { id: 'erin', roles: ['engineer'] };

const proposeOrg = (by: Actor = owner, tiers: object = { limited: { autoApproveDeployment: true } }, n = 1): LifecyclePolicyCommand => ({
  type: 'ProposeLifecyclePolicyChange',
  changeId: `policy-change-${n}`,
  reviewTaskId: `policy-change-${n}-review`,
  scope: { kind: 'organisation' },
  tiers,
  justification: 'Limited-risk deployments that pass every check need no approver',
  by,
  at: AT,
});
const deviation = (by: Actor, overrides: object, n = 1): LifecyclePolicyCommand => ({
  type: 'ProposeLifecyclePolicyChange',
  changeId: `policy-change-${n}`,
  reviewTaskId: `policy-change-${n}-review`,
  scope: { kind: 'system', systemId: 'credit-scoring' },
  overrides,
  justification: 'Night shift: longer response time',
  by,
  at: AT,
});
const decideChange = (by: Actor, outcome: 'approved' | 'rejected' = 'approved', n = 1): LifecyclePolicyCommand => ({
  type: 'DecideLifecyclePolicyChange',
  taskId: `policy-change-${n}-review`,
  outcome,
  reasons: outcome === 'approved' ? [] : ['not now'],
  by,
  at: AT,
});
const history = (...commands: LifecyclePolicyCommand[]): LifecyclePolicyEvent[] => {
  let s: LifecyclePolicyState = INITIAL_LIFECYCLE_POLICY_STATE;
  const all: LifecyclePolicyEvent[] = [];
  for (const c of commands) {
    const r = decide(c, s);
    if (!r.ok) throw new Error(`${c.type}: ${r.error.code} ${r.error.message}`);
    all.push(...r.value);
    s = r.value.reduce(evolve, s);
  }
  return all;
};

describe('the organisation lifecycle policy', () => {
  it('a proposal by the AIMS owner opens a decision task for the AIMS owner or top management', () => {
    const { events } = given([])
      .when(proposeOrg())
      .then([
        expect.objectContaining({ type: 'LifecyclePolicyChangeProposed' }),
        expect.objectContaining({
          type: 'HumanTaskOpened',
          kind: 'lifecycle_policy_change_approval',
          requiredRoles: ['aims_owner', 'top_management'],
          requestedBy: 'Amara',
        }),
      ]);
    expect(events).toHaveLength(2);
  });

  it('an engineer cannot change the organisation policy', () => {
    given([]).when(proposeOrg(engineer)).then(expectError('MISSING_ROLE'));
  });

  it('the proposer cannot approve it, whatever the case of their name', () => {
    given(history(proposeOrg())).when(decideChange(ownerLowerCase)).then(expectError('SEGREGATION_OF_DUTIES'));
  });

  it("another governor's approval makes version 1, which lifecycles then take", () => {
    const { state } = given(history(proposeOrg()))
      .when(decideChange(top))
      .then([
        expect.objectContaining({ type: 'HumanTaskDecided', outcome: 'approved' }),
        expect.objectContaining({ type: 'LifecyclePolicyChangeApproved', version: 1 }),
      ]);
    expect(state.version).toBe(1);
    expect(snapshotFor(state, 'credit-scoring').tiers.limited.autoApproveDeployment).toBe(true);
  });

  it('a rejection changes nothing', () => {
    const { state } = given(history(proposeOrg()))
      .when(decideChange(top, 'rejected'))
      .then([
        expect.objectContaining({ type: 'HumanTaskDecided', outcome: 'rejected' }),
        expect.objectContaining({ type: 'LifecyclePolicyChangeRejected' }),
      ]);
    expect(state.version).toBe(0);
    expect(state.tiers.limited.autoApproveDeployment).toBe(false);
  });

  it.each([
    ['high-risk auto-approval', { high: { autoApproveDeployment: true } }],
    ['ci deciding tasks', { minimal: { taskRoles: { deployment_approval: ['ci'] } } }],
    ['critical incidents without a nonconformity', { limited: { incidentSeveritiesOpeningNonconformity: ['high'] } }],
    ['an unknown field', { limited: { autoApprove: true } }],
  ])('refuses a change below the floors: %s', (_what, tiers) => {
    const r = decide(proposeOrg(owner, tiers), INITIAL_LIFECYCLE_POLICY_STATE);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(['INVALID_POLICY', 'VALIDATION_FAILED']).toContain(r.error.code);
  });

  it('one pending change per scope', () => {
    given(history(proposeOrg()))
      .when(proposeOrg(top, { limited: { escalationAfterMs: 1000 } }, 2))
      .then(expectError('POLICY_CHANGE_PENDING'));
  });
});

describe('a system-specific deviation', () => {
  it('may be requested by an engineer and is approved by a governor, not the requester', () => {
    const requested = history(deviation(engineer, { escalationAfterMs: 7_200_000 }));
    given(requested)
      .when(decideChange({ id: 'erin', roles: ['engineer', 'aims_owner'] }))
      .then(expectError('SEGREGATION_OF_DUTIES'));
    const { state } = given(requested)
      .when(decideChange(owner))
      .then([expect.objectContaining({ type: 'HumanTaskDecided' }), expect.objectContaining({ type: 'LifecyclePolicyChangeApproved' })]);
    expect(snapshotFor(state, 'credit-scoring').deviation).toEqual({
      changeId: 'policy-change-1',
      overrides: { escalationAfterMs: 7_200_000 },
    });
    expect(snapshotFor(state, 'other-system').deviation).toBeNull();
  });

  it('cannot let a system deploy on the policy alone, whatever its tier', () => {
    given([])
      .when(deviation(engineer, { autoApproveDeployment: true }))
      .then(expectError('INVALID_POLICY'));
  });
});
