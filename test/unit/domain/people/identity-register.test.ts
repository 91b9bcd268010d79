/**
 * One person per identity: the organisation's register reserves each identity (token name, JWT subject,
 * e-mail address) for one person; a second person claiming it is refused IDENTITY_TAKEN naming who holds
 * it; reserving again for the holder changes nothing; a release gives up only what the person holds.
 */
import {
  claimedIdentities,
  decideIdentityRegister,
  evolveIdentityRegister,
  INITIAL_IDENTITY_REGISTER,
  type IdentityRegisterCommand,
  type IdentityRegisterEvent,
} from '../../../../domain/people';
import { tabledReferences } from '../../../../domain/iso-references';
import { deciderSpec, expectError } from '../../../support/decider-spec';

const { given } = deciderSpec({ decide: decideIdentityRegister, evolve: evolveIdentityRegister, initialState: INITIAL_IDENTITY_REGISTER });
const AT = '2026-01-05T10:00:00.000Z';
const owner = { id: 'olivia', roles: ['aims_owner' as const] };
const reserve = (personId: string, identities: string[], by = owner): IdentityRegisterCommand => ({
  type: 'ReserveIdentities',
  personId,
  identities,
  by,
  at: AT,
});
const reserved = (personId: string, identities: string[]): IdentityRegisterEvent => ({
  type: 'IdentitiesReserved',
  personId,
  identities,
  by: { id: 'olivia', role: 'aims_owner' },
  at: AT,
});

describe('the identity register', () => {
  test('a person’s identities and e-mail contact are reserved for them, normalised', () => {
    expect(claimedIdentities(['Vera', 'vera-token'], ' Vera@Example.com ')).toEqual(['vera', 'vera-token', 'vera@example.com']);
    expect(claimedIdentities(['vera'], 'desk 4, building B')).toEqual(['vera']);
    const { state } = given([])
      .when(reserve('vera', ['vera', 'VERA@example.com']))
      .then([reserved('vera', ['vera', 'vera@example.com'])]);
    expect(state.holders).toEqual({ vera: 'vera', 'vera@example.com': 'vera' });
  });

  test('an identity another person holds is refused, naming it and its holder; the holder reserving it again records nothing', () => {
    const history = [reserved('vera', ['vera', 'vera@example.com'])];
    given(history)
      .when(reserve('victor', ['victor', 'Vera@example.com']))
      .then(expectError('IDENTITY_TAKEN', { identity: 'vera@example.com', heldBy: 'vera', personId: 'victor' }));
    given(history)
      .when(reserve('vera', ['vera']))
      .then([]);
    // only what is new is recorded
    given(history)
      .when(reserve('vera', ['vera', 'vera-2']))
      .then([reserved('vera', ['vera-2'])]);
  });

  test('a release gives up only what the person holds; released, the identity can be reserved by someone else', () => {
    const history = [reserved('vera', ['vera', 'vera-old'])];
    const release = (personId: string, identities: string[]): IdentityRegisterCommand => ({
      type: 'ReleaseIdentities',
      personId,
      identities,
      reason: 'identities changed',
      by: owner,
      at: AT,
    });
    given(history)
      .when(release('victor', ['vera-old']))
      .then([]);
    const { state } = given(history)
      .when(release('vera', ['vera-old', 'never-held']))
      .then([
        {
          type: 'IdentitiesReleased',
          personId: 'vera',
          identities: ['vera-old'],
          reason: 'identities changed',
          by: { id: 'olivia', role: 'aims_owner' },
          at: AT,
        },
      ]);
    expect(state.holders).toEqual({ vera: 'vera' });
    given([
      ...history,
      { type: 'IdentitiesReleased', personId: 'vera', identities: ['vera-old'], reason: 'x', by: { id: 'o', role: 'aims_owner' }, at: AT },
    ])
      .when(reserve('victor', ['vera-old']))
      .then([reserved('victor', ['vera-old'])]);
  });

  test('only the AIMS owner or top management reserve; bad input names its field', () => {
    given([])
      .when(reserve('vera', ['vera'], { id: 'erin', roles: ['engineer' as never] }))
      .then(expectError('MISSING_ROLE'));
    given([])
      .when(reserve('-bad', ['vera']))
      .then(expectError('VALIDATION_FAILED'));
    given([])
      .when(reserve('vera', ['', 'x']))
      .then(expectError('VALIDATION_FAILED'));
  });

  test('its evidence is tagged 5.3, 7.1 and A.3.2', () => {
    expect(tabledReferences('people-identities-organisation', 'IdentitiesReserved')).toEqual({
      clauses: ['5.3', '7.1'],
      controls: ['A.3.2'],
    });
  });
});
