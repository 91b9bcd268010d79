/**
 * The competence policy (7.2) on the people policy's stream: requirements per role and the per-role switch,
 * set only by the AIMS owner or top management, with every refusal naming why; and COMPETENCE_MISSING for a
 * step in an enforced role, naming each requirement not met (never recorded, expired on, too old since).
 */
import {
  competenceRefusal,
  decidePeoplePolicy,
  evolvePeoplePolicy,
  INITIAL_PEOPLE_POLICY,
  PEOPLE_POLICY_ISO_42001_REFERENCES,
  peoplePolicyOf,
  rolesLackingCompetence,
  type CompetenceRecord,
  type PeoplePolicyCommand,
  type PeoplePolicyState,
} from '../../../../domain/people';
import type { Actor, ActorRef } from '../../../../domain/shared/roles';
import { deciderSpec, expectError } from '../../../support/decider-spec';

const { given } = deciderSpec({ decide: decidePeoplePolicy, evolve: evolvePeoplePolicy, initialState: INITIAL_PEOPLE_POLICY });
const AT = '2026-03-01T09:00:00.000Z';
const owner: Actor = { id: 'amara', roles: ['aims_owner'] };
const validatorActor: Actor = { id: 'vic', roles: ['validator'] };
const requirement = (extra: Partial<PeoplePolicyCommand> = {}): PeoplePolicyCommand =>
  ({
    type: 'SetCompetenceRequirement',
    role: 'validator',
    competence: 'model validation',
    withinMonths: 24,
    reason: 'validators keep current',
    by: owner,
    at: AT,
    ...extra,
  }) as PeoplePolicyCommand;
const enforce = (enforced = true, by: Actor = owner): PeoplePolicyCommand => ({
  type: 'SetCompetenceEnforcement',
  role: 'validator',
  enforced,
  reason: 'sign-offs need current competence',
  by,
  at: AT,
});
const by: ActorRef = { id: 'amara', role: 'aims_owner' };

describe('competence policy', () => {
  test('the AIMS owner sets a requirement; a change of age replaces it; the same again is refused', () => {
    const { state } = given([])
      .when(requirement())
      .then([
        {
          type: 'CompetenceRequirementSet',
          role: 'validator',
          competence: 'model validation',
          withinMonths: 24,
          reason: 'validators keep current',
          by,
          at: AT,
        },
      ]);
    expect(state.competenceRequirements).toEqual([{ role: 'validator', competence: 'model validation', withinMonths: 24 }]);
    const first = decidePeoplePolicy(requirement(), INITIAL_PEOPLE_POLICY);
    if (!first.ok) throw new Error(first.error.code);
    given(first.value)
      .when(requirement())
      .then(expectError('COMPETENCE_REQUIREMENT_UNCHANGED', { role: 'validator' }));
    const changed = given(first.value)
      .when(requirement({ withinMonths: null }))
      .then([expect.objectContaining({ type: 'CompetenceRequirementSet', withinMonths: null })]);
    expect(changed.state.competenceRequirements).toEqual([{ role: 'validator', competence: 'model validation', withinMonths: null }]);
  });

  test('only the AIMS owner or top management changes it; bad input names each field; ci has no competence to show', () => {
    given([])
      .when(requirement({ by: validatorActor }))
      .then(expectError('MISSING_ROLE', { requiredRoles: ['aims_owner', 'top_management'] }));
    const refusal = given([])
      .when(requirement({ role: 'ci', competence: '', withinMonths: 1.5, reason: '' }))
      .then(expectError('VALIDATION_FAILED'));
    expect((refusal.details.issues as { field: string }[]).map((i) => i.field)).toEqual(['role', 'competence', 'withinMonths', 'reason']);
  });

  test('the switch is per role; setting it as it is is refused; removing an unknown requirement is refused', () => {
    const on = given([])
      .when(enforce())
      .then([expect.objectContaining({ type: 'CompetenceEnforcementSet', role: 'validator', enforced: true })]);
    expect(on.state.competenceEnforcedRoles).toEqual(['validator']);
    given([])
      .when(enforce(false))
      .then(expectError('COMPETENCE_ENFORCEMENT_UNCHANGED', { role: 'validator', enforced: false }));
    given([])
      .when({ type: 'RemoveCompetenceRequirement', role: 'validator', competence: 'x', reason: 'r', by: owner, at: AT })
      .then(expectError('COMPETENCE_REQUIREMENT_UNKNOWN'));
  });

  test('the appointment switch still folds as before, and every policy event is tagged', () => {
    const s = peoplePolicyOf([
      { type: 'AppointmentEnforcementSet', data: { enforced: true, reason: 'r', by, at: AT } },
      { type: 'CompetenceEnforcementSet', data: { role: 'validator', enforced: true, reason: 'r', by, at: AT } },
    ]);
    expect([s.appointmentsEnforced, s.competenceEnforcedRoles]).toEqual([true, ['validator']]);
    expect(PEOPLE_POLICY_ISO_42001_REFERENCES.CompetenceEnforcementSet).toEqual(['5.1', '7.2', 'A.3.2', 'A.4.6']);
  });
});

describe('COMPETENCE_MISSING', () => {
  const policy: PeoplePolicyState = {
    ...INITIAL_PEOPLE_POLICY,
    competenceRequirements: [
      { role: 'validator', competence: 'model validation', withinMonths: 24 },
      { role: 'approver', competence: 'AI risk basics', withinMonths: null },
    ],
    competenceEnforcedRoles: ['validator'],
  };
  const course: CompetenceRecord = {
    recordId: 'mv-1',
    competence: 'model validation',
    kind: 'course',
    obtainedAt: '2025-01-10T00:00:00.000Z',
    expiresAt: '2026-06-01T00:00:00.000Z',
    evidenceRef: 'cert-1',
    approvedBy: { id: 'amara', role: 'aims_owner' },
  };

  test('a current record meets the requirement; a role whose competence is not enforced is never refused', () => {
    expect(competenceRefusal(policy, 'vera', 'vera', 'validator', [course], AT)).toBeNull();
    expect(competenceRefusal(policy, 'vera', 'vera', 'approver', [], AT)).toBeNull();
    expect(rolesLackingCompetence(policy, 'vera', ['approver', 'validator'], [course], AT)).toEqual([]);
  });

  test('never recorded: the refusal names the requirement', () => {
    expect(competenceRefusal(policy, 'vera', 'vera@example.com', 'validator', [], AT)).toMatchObject({
      code: 'COMPETENCE_MISSING',
      message: 'vera@example.com (person vera) cannot act as validator without current competence: model validation: never recorded.',
      details: {
        personId: 'vera',
        role: 'validator',
        missing: [{ competence: 'model validation', withinMonths: 24, reason: 'no_record', recordId: null, expiresAt: null }],
      },
    });
    // A credential with no person behind it has no records at all.
    expect(competenceRefusal(policy, null, 'pipeline-bot', 'validator', [course], AT)?.details).toMatchObject({
      personId: null,
      missing: [{ reason: 'no_record' }],
    });
  });

  test('expired: the refusal says on which day; too old: since when', () => {
    expect(competenceRefusal(policy, 'vera', 'vera', 'validator', [course], '2026-06-01T00:00:00.000Z')?.message).toBe(
      'vera (person vera) cannot act as validator without current competence: model validation: record mv-1 expired on 2026-06-01T00:00:00.000Z.',
    );
    const old = { ...course, expiresAt: null, obtainedAt: '2023-01-01T00:00:00.000Z' };
    expect(competenceRefusal(policy, 'vera', 'vera', 'validator', [old], AT)?.details).toMatchObject({
      missing: [{ reason: 'too_old', recordId: 'mv-1', obtainedAt: '2023-01-01T00:00:00.000Z' }],
    });
    expect(competenceRefusal(policy, 'vera', 'vera', 'validator', [old], AT)?.message).toContain(
      'is older than 24 months since 2024-12-31T12:00:00.000Z',
    );
  });
});
