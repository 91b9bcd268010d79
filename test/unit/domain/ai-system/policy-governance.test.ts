/**
 * Issue 11, finding 1: a system's lifecycle policy is the organisation's for its risk tier, never the
 * registrant's; floors no policy can go below; the risk tier is confirmed in the impact-assessment review.
 */
import type { AiSystemCommand } from '../../../../domain/ai-system';
import { DEFAULT_POLICY_SNAPSHOT, DEFAULT_TIER_POLICIES, type PolicySnapshot } from '../../../../domain/ai-system/organisation-policy';
import { resolveLifecyclePolicy } from '../../../../domain/ai-system/policy';
import {
  after,
  aimsOwner,
  approver,
  at,
  decideTask,
  fieldsOf,
  given,
  issuesOf,
  ofType,
  owner,
  register,
  registered,
  riskOwner,
  submitIa,
  thenError,
  thenEvents,
  types,
  when,
} from './scenario';

const governed = (overrides: Parameters<typeof register>[0] = {}) =>
  register({ organisationPolicy: DEFAULT_POLICY_SNAPSHOT, ...overrides });
const approveWithTier = (taskId: string, by = approver, riskTier?: string): AiSystemCommand =>
  ({ ...decideTask(taskId, 'approved', by, 2), ...(riskTier === undefined ? {} : { riskTier }) }) as AiSystemCommand;

describe('floors no lifecycle policy can go below', () => {
  it.each([
    [{ autoApproveRiskTiers: ['high'] }, 'autoApproveRiskTiers'],
    [{ taskRoles: { deployment_approval: ['ci'] } }, 'taskRoles.deployment_approval'],
    [{ taskRoles: { validation_sign_off: ['engineer', 'ci'] } }, 'taskRoles.validation_sign_off'],
    [{ incidentSeveritiesOpeningNonconformity: [] }, 'incidentSeveritiesOpeningNonconformity'],
  ])('refuses %j', (overrides, field) => {
    const r = resolveLifecyclePolicy(overrides as never, 'policy');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.details.issues.map((i) => i.field)).toContain(`policy.${field}`);
  });

  it('refuses a registration whose overrides go below a floor, naming the field', () => {
    const e = thenError(
      when(given(), register({ policy: { autoApproveRiskTiers: ['high'], taskRoles: { deployment_approval: ['ci'] } } })),
      'INVALID_POLICY',
    );
    expect(fieldsOf(e)).toEqual(expect.arrayContaining(['policy.autoApproveRiskTiers', 'policy.taskRoles.deployment_approval']));
  });

  it('refuses an organisation snapshot whose high tier auto-approves or names ci', () => {
    const bad: PolicySnapshot = {
      ...DEFAULT_POLICY_SNAPSHOT,
      tiers: { ...DEFAULT_TIER_POLICIES, high: { ...DEFAULT_TIER_POLICIES.high, autoApproveDeployment: true } },
    };
    thenError(when(given(), governed({ organisationPolicy: bad })), 'INVALID_POLICY');
    const ciRoles: PolicySnapshot = {
      ...DEFAULT_POLICY_SNAPSHOT,
      tiers: {
        ...DEFAULT_TIER_POLICIES,
        minimal: { ...DEFAULT_TIER_POLICIES.minimal, taskRoles: { ...DEFAULT_TIER_POLICIES.minimal.taskRoles, monitoring_review: ['ci'] } },
      },
    };
    thenError(when(given(), governed({ organisationPolicy: ciRoles })), 'INVALID_POLICY');
  });

  it('refuses a deviation that would let any tier below a floor', () => {
    const deviation: PolicySnapshot = {
      ...DEFAULT_POLICY_SNAPSHOT,
      deviation: { changeId: 'c1', overrides: { autoApproveDeployment: true } },
    };
    const e = thenError(when(given(), governed({ riskTier: 'minimal', organisationPolicy: deviation })), 'INVALID_POLICY');
    expect(issuesOf(e)[0].problem).toMatch(/person's approval/);
  });
});

describe('registration under the organisation policy', () => {
  it("takes the tier's policy and records the snapshot", () => {
    const [registeredEvent] = thenEvents(when(given(), governed()));
    expect(registeredEvent.type).toBe('AiSystemRegistered');
    const e = ofType([registeredEvent], 'AiSystemRegistered');
    expect(e.organisationPolicy?.version).toBe(0);
    expect(e.policy.autoApproveRiskTiers).toEqual([]);
    expect(e.policy.incidentSeveritiesOpeningNonconformity).toEqual(['medium', 'high', 'critical']);
  });

  it("refuses the registrant's own policy next to the organisation's", () => {
    const e = thenError(when(given(), governed({ policy: { autoApproveRiskTiers: ['minimal'] } })), 'VALIDATION_FAILED');
    expect(fieldsOf(e)).toEqual(['policy']);
  });

  it('gives a minimal-risk system the auto-approval its tier has', () => {
    const s = registered(given(governed({ riskTier: 'minimal' })));
    expect(s.policy.autoApproveRiskTiers).toEqual(['minimal']);
  });
});

describe('the risk tier is confirmed in the impact-assessment review', () => {
  const submitted = () => given(governed({ riskTier: 'minimal' }), submitIa('IA-1', 'task-IA-1', 1));

  it('needs the reviewer to confirm a tier to approve', () => {
    const e = thenError(when(submitted(), approveWithTier('task-IA-1')), 'VALIDATION_FAILED');
    expect(fieldsOf(e)).toEqual(['riskTier']);
  });

  it("records the confirmation and moves the system to the confirmed tier's policy", () => {
    const result = when(submitted(), approveWithTier('task-IA-1', approver, 'high'));
    const events = thenEvents(result);
    expect(types(events).slice(0, 3)).toEqual(['HumanTaskDecided', 'RiskTierConfirmed', 'ImpactAssessmentApproved']);
    const confirmed = ofType(events, 'RiskTierConfirmed');
    expect(confirmed).toMatchObject({ proposed: 'minimal', confirmed: 'high' });
    expect(confirmed.policy.autoApproveRiskTiers).toEqual([]);
    const s = after(submitted(), result);
    expect(s.profile.riskTier).toBe('high');
    expect(s.policy.autoApproveRiskTiers).toEqual([]);
  });

  it('refuses a confirmation by whoever registered the system', () => {
    const s = given(
      register({ organisationPolicy: DEFAULT_POLICY_SNAPSHOT, by: { id: 'Ria', roles: ['engineer', 'risk_owner'] } }),
      submitIa('IA-1', 'task-IA-1', 1),
    );
    thenError(when(s, approveWithTier('task-IA-1', { id: 'ria', roles: ['risk_owner'] }, 'high')), 'SEGREGATION_OF_DUTIES');
    thenEvents(when(s, approveWithTier('task-IA-1', riskOwner, 'high')));
  });

  it('refuses a tier on any other decision', () => {
    const s = submitted();
    const e = thenError(
      when(s, { ...(decideTask('task-IA-1', 'rejected', approver, 2) as object), riskTier: 'high' } as AiSystemCommand),
      'VALIDATION_FAILED',
    );
    expect(fieldsOf(e)).toEqual(['riskTier']);
  });

  it('leaves systems registered before the organisation policy as they were (no tier required)', () => {
    const s = given(register({ riskTier: 'minimal' }), submitIa('IA-1', 'task-IA-1', 1));
    expect(types(thenEvents(when(s, approveWithTier('task-IA-1'))))).not.toContain('RiskTierConfirmed');
  });
});

describe('applying a newer organisation policy', () => {
  const v2: PolicySnapshot = {
    version: 2,
    tiers: {
      ...DEFAULT_TIER_POLICIES,
      high: {
        ...DEFAULT_TIER_POLICIES.high,
        taskResponseTimeMs: { ...DEFAULT_TIER_POLICIES.high.taskResponseTimeMs, deployment_approval: 3_600_000 },
      },
    },
    deviation: null,
  };
  const apply = (organisationPolicy: PolicySnapshot, by = aimsOwner): AiSystemCommand => ({
    type: 'ApplyLifecyclePolicy',
    organisationPolicy,
    by,
    at: at(3),
  });

  it('is for the AIMS owner or top management only', () => {
    thenError(when(given(governed()), apply(v2, owner)), 'MISSING_ROLE');
    thenEvents(when(given(governed()), apply(v2, { id: 'tara', roles: ['top_management'] })));
  });

  it('puts the system under the new version and its tier policy', () => {
    const s = given(governed(), apply(v2));
    expect(registered(s).organisationPolicy?.version).toBe(2);
    expect(registered(s).policy.taskResponseTimeMs.deployment_approval).toBe(3_600_000);
  });

  it('refuses an older or the same version', () => {
    const s = given(governed(), apply(v2));
    thenError(when(s, apply(v2)), 'POLICY_ALREADY_APPLIED');
    thenError(when(s, apply({ ...v2, version: 1 })), 'POLICY_VERSION_OLDER');
  });

  it('puts an older system under the organisation policy', () => {
    const s = given(register({ policy: { autoApproveRiskTiers: ['minimal', 'limited'] } }), apply(v2));
    expect(registered(s).organisationPolicy?.version).toBe(2);
    expect(registered(s).policy.autoApproveRiskTiers).toEqual([]);
  });
});

describe('safety-relevant fields change only through a significant change', () => {
  it('refuses to change monitoring thresholds in a minor change', () => {
    const s = given(governed());
    const e = thenError(
      when(s, {
        type: 'RecordChange',
        changeId: 'CH-1',
        description: 'drop thresholds',
        significant: false,
        amendments: { monitoringThresholds: [] },
        by: owner,
        at: at(2),
      }),
      'CHANGE_MUST_BE_SIGNIFICANT',
    );
    expect(e.details).toMatchObject({ fields: ['monitoringThresholds'] });
  });

  it("takes the new tier's policy when a significant change moves the risk tier", () => {
    const s = given(governed({ riskTier: 'high' }));
    const events = thenEvents(
      when(s, {
        type: 'RecordChange',
        changeId: 'CH-1',
        description: 'narrower use',
        significant: true,
        amendments: { riskTier: 'minimal' },
        by: owner,
        at: at(2),
      }),
    );
    expect(ofType(events, 'ChangeRecorded').policy?.autoApproveRiskTiers).toEqual(['minimal']);
  });
});
