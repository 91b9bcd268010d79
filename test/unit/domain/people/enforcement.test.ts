/** The organisation's switch that makes appointments count: off until set, set by the AIMS owner or top management with a reason. */
import {
  decidePeoplePolicy,
  evolvePeoplePolicy,
  INITIAL_PEOPLE_POLICY,
  peoplePolicyOf,
  type PeoplePolicyCommand,
} from '../../../../domain/people';
import { tabledReferences } from '../../../../domain/iso-references';
import { deciderSpec, expectError } from '../../../support/decider-spec';

const { given } = deciderSpec({ decide: decidePeoplePolicy, evolve: evolvePeoplePolicy, initialState: INITIAL_PEOPLE_POLICY });
const AT = '2026-01-05T10:00:00.000Z';
const set = (
  enforced: boolean,
  roles: PeoplePolicyCommand['by']['roles'] = ['top_management'],
  reason = 'appointments are in place',
): PeoplePolicyCommand => ({
  type: 'SetAppointmentEnforcement',
  enforced,
  reason,
  by: { id: 'tara', roles },
  at: AT,
});

describe('appointment enforcement switch', () => {
  test('off by default; switched on by top management with a reason, as evidence', () => {
    expect(INITIAL_PEOPLE_POLICY.appointmentsEnforced).toBe(false);
    const { state } = given([])
      .when(set(true))
      .then([
        {
          type: 'AppointmentEnforcementSet',
          enforced: true,
          reason: 'appointments are in place',
          by: { id: 'tara', role: 'top_management' },
          at: AT,
        },
      ]);
    expect(state).toMatchObject({ appointmentsEnforced: true, version: 1 });
  });

  test('refused: another role, no reason, no change', () => {
    given([])
      .when(set(true, ['engineer']))
      .then(expectError('MISSING_ROLE'));
    given([])
      .when(set(true, ['aims_owner'], ''))
      .then(expectError('VALIDATION_FAILED'));
    given([]).when(set(false)).then(expectError('APPOINTMENT_ENFORCEMENT_UNCHANGED'));
  });

  test('read back from the recorded stream, and tabled as 5.3 / A.3.2 evidence', () => {
    expect(
      peoplePolicyOf([
        { type: 'AppointmentEnforcementSet', data: { enforced: true, reason: 'r', by: { id: 't', role: 'top_management' }, at: AT } },
      ]).appointmentsEnforced,
    ).toBe(true);
    expect(peoplePolicyOf([]).appointmentsEnforced).toBe(false);
    expect(tabledReferences('people-policy-organisation', 'AppointmentEnforcementSet')).toEqual({
      clauses: ['5.1', '5.3'],
      controls: ['A.3.2'],
    });
  });
});
