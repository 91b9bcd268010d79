/**
 * The person register and role appointments as a governed process: a person registered with the
 * identities that act for them, appointed to roles by the AIMS owner or top management (never by
 * themselves, whatever credential they use), an appointment revoked with a reason, ended by its term or by
 * the person leaving.
 */
import {
  decide,
  dueAppointmentEnd,
  evolve,
  eventReferences,
  INITIAL_PERSON_STATE,
  nextAppointmentEnd,
  PERSON_ISO_42001_REFERENCES,
  type PersonCommand,
  type PersonEvent,
  type PersonState,
} from '../../../../domain/people';
import { tabledReferences } from '../../../../domain/iso-references';
import type { Actor } from '../../../../domain/shared/roles';
import { deciderSpec, expectError } from '../../../support/decider-spec';

const { given } = deciderSpec({ decide, evolve, initialState: INITIAL_PERSON_STATE });
const AT = '2026-01-05T10:00:00.000Z';
const owner: Actor = { id: 'Amara', roles: ['aims_owner'] };
const top: Actor = { id: 'tara', roles: ['top_management'] };
const engineer: Actor = { id: 'erin', roles: ['engineer'] };
/** Vera's own JWT subject, holding the AIMS owner's role on its token. */
const veraAsOwner: Actor = { id: 'ＶＥＲＡ@example.com', roles: ['aims_owner'] };

const register = (by: Actor = owner, extra: Partial<PersonCommand> = {}): PersonCommand =>
  ({
    type: 'RegisterPerson',
    personId: 'vera',
    name: 'Vera Validator',
    contact: 'vera@example.com',
    unit: 'model-risk',
    identities: ['vera', 'Vera@Example.com'],
    by,
    at: AT,
    ...extra,
  }) as PersonCommand;
const appoint = (by: Actor = owner, extra: Partial<PersonCommand> = {}): PersonCommand =>
  ({
    type: 'AppointRole',
    appointmentId: 'vera-validator-1',
    role: 'validator',
    covers: { wholeAims: true },
    from: '2026-01-06T00:00:00.000Z',
    until: '2026-07-01T00:00:00.000Z',
    responsibilities: 'Signs off validation results of every AI system',
    by,
    at: AT,
    ...extra,
  }) as PersonCommand;

const history = (...commands: PersonCommand[]): PersonEvent[] => {
  let s: PersonState = INITIAL_PERSON_STATE;
  const all: PersonEvent[] = [];
  for (const c of commands) {
    const r = decide(c, s);
    if (!r.ok) throw new Error(`${c.type}: ${r.error.code} ${r.error.message}`);
    all.push(...r.value);
    s = r.value.reduce(evolve, s);
  }
  return all;
};

describe('person register', () => {
  test('a person is registered with normalised identities, by the AIMS owner', () => {
    const { state } = given([])
      .when(register())
      .then([
        {
          type: 'PersonRegistered',
          personId: 'vera',
          name: 'Vera Validator',
          contact: 'vera@example.com',
          unit: 'model-risk',
          identities: ['vera', 'vera@example.com'],
          by: { id: 'Amara', role: 'aims_owner' },
          at: AT,
        },
      ]);
    expect(state.status).toBe('active');
    expect(state.identities).toEqual(['vera', 'vera@example.com']);
  });

  test('only the AIMS owner or top management registers people', () => {
    given([])
      .when(register(engineer))
      .then(expectError('MISSING_ROLE', { requiredRoles: ['aims_owner', 'top_management'] }));
  });

  test('bad input is refused with every issue at once, nothing recorded', () => {
    const refusal = given([])
      .when(register(owner, { personId: '-x', name: '', identities: ['a', 'A', 'aims:lifecycle'] }))
      .then(expectError('VALIDATION_FAILED'));
    expect((refusal.details.issues as { field: string }[]).map((i) => i.field)).toEqual(['personId', 'name', 'identities', 'identities']);
  });

  test('a person is registered once', () => {
    given(history(register())).when(register()).then(expectError('PERSON_ALREADY_REGISTERED'));
  });

  test('the identities that act for someone are changed by others, not by themselves', () => {
    const past = history(register());
    given(past)
      .when({ type: 'ChangePersonIdentities', identities: ['vera', 'vera-ci-token'], reason: 'new token', by: veraAsOwner, at: AT })
      .then(expectError('SEGREGATION_OF_DUTIES', { personId: 'vera' }));
    const { state } = given(past)
      .when({ type: 'ChangePersonIdentities', identities: ['vera', 'Vera-2'], reason: 'new token', by: top, at: AT })
      .then([expect.objectContaining({ type: 'PersonIdentitiesChanged', identities: ['vera', 'vera-2'] })]);
    expect(state.identities).toEqual(['vera', 'vera-2']);
  });
});

describe('role appointments', () => {
  test('an appointment records the role, what it covers, from, until and responsibilities, by its appointer', () => {
    const { state } = given(history(register()))
      .when(appoint())
      .then([
        {
          type: 'RoleAppointed',
          appointmentId: 'vera-validator-1',
          role: 'validator',
          covers: { wholeAims: true, systemIds: [], units: [] },
          from: '2026-01-06T00:00:00.000Z',
          until: '2026-07-01T00:00:00.000Z',
          responsibilities: 'Signs off validation results of every AI system',
          by: { id: 'Amara', role: 'aims_owner' },
          at: AT,
        },
      ]);
    expect(state.appointments[0]).toMatchObject({ status: 'active', appointedBy: { id: 'Amara' } });
    expect(nextAppointmentEnd(state)).toBe('2026-07-01T00:00:00.000Z');
  });

  test('nobody appoints themselves, not even through another identity that acts for them', () => {
    given(history(register()))
      .when(appoint(veraAsOwner))
      .then(expectError('SEGREGATION_OF_DUTIES', { actorId: 'ＶＥＲＡ@example.com', conflict: 'acts for the appointee' }));
    given(history(register()))
      .when(appoint({ id: ' vera ', roles: ['top_management'] }))
      .then(expectError('SEGREGATION_OF_DUTIES'));
  });

  test('only the AIMS owner or top management appoints', () => {
    given(history(register())).when(appoint(engineer)).then(expectError('MISSING_ROLE'));
  });

  test('coverage is the whole AIMS or named systems and/or units; ci is nobody’s appointment; until after from and in the future', () => {
    const past = history(register());
    const issues = (extra: Partial<PersonCommand>): string[] =>
      (given(past).when(appoint(owner, extra)).then(expectError('VALIDATION_FAILED')).details.issues as { problem: string }[]).map(
        (i) => i.problem,
      );
    expect(issues({ covers: {} })).toEqual(['must cover the whole AIMS or name at least one AI system or unit']);
    expect(issues({ covers: { wholeAims: true, systemIds: ['a'] } })[0]).toMatch(/not both/);
    expect(issues({ role: 'ci' })[0]).toMatch(/machine identity/);
    expect(issues({ until: '2026-01-01T00:00:00.000Z', from: '2025-01-01T00:00:00.000Z' })[0]).toMatch(/must be in the future/);
    expect(issues({ until: '2026-01-06T00:00:00.000Z' })[0]).toBe('must be after from');
    given(past)
      .when(appoint(owner, { covers: { systemIds: ['credit-scoring'], units: ['model-risk'] } }))
      .then([expect.objectContaining({ covers: { wholeAims: false, systemIds: ['credit-scoring'], units: ['model-risk'] } })]);
  });

  test('an unregistered person is appointed to nothing; an id is used once', () => {
    given([]).when(appoint()).then(expectError('PERSON_UNKNOWN'));
    given(history(register(), appoint())).when(appoint()).then(expectError('DUPLICATE_ID'));
  });

  test('a revocation needs a reason, ends the appointment at once, and is recorded once', () => {
    const past = history(register(), appoint());
    given(past)
      .when({ type: 'RevokeAppointment', appointmentId: 'vera-validator-1', reason: '', by: top, at: AT })
      .then(expectError('VALIDATION_FAILED'));
    const revoked = given(past)
      .when({ type: 'RevokeAppointment', appointmentId: 'vera-validator-1', reason: 'moved to engineering', by: top, at: AT })
      .then([
        {
          type: 'AppointmentRevoked',
          appointmentId: 'vera-validator-1',
          role: 'validator',
          reason: 'moved to engineering',
          by: { id: 'tara', role: 'top_management' },
          at: AT,
        },
      ]);
    expect(revoked.state.appointments[0]).toMatchObject({ status: 'revoked', endedAt: AT, endReason: 'moved to engineering' });
    expect(nextAppointmentEnd(revoked.state)).toBeNull();
    given([...past, ...revoked.events])
      .when({ type: 'RevokeAppointment', appointmentId: 'vera-validator-1', reason: 'again', by: top, at: AT })
      .then(expectError('APPOINTMENT_CLOSED', { status: 'revoked' }));
    given(past)
      .when({ type: 'RevokeAppointment', appointmentId: 'nope', reason: 'x', by: top, at: AT })
      .then(expectError('APPOINTMENT_UNKNOWN'));
  });

  test('the timer ends an appointment once its until has passed, as the system, not before', () => {
    const past = history(register(), appoint());
    given(past)
      .when({ type: 'EndAppointment', appointmentId: 'vera-validator-1', at: '2026-06-30T23:59:59.999Z' })
      .then(expectError('APPOINTMENT_NOT_DUE'));
    const state = given(past).state;
    expect(dueAppointmentEnd(state, '2026-06-30T23:59:59.999Z')).toBeNull();
    expect(dueAppointmentEnd(state, '2026-07-01T00:00:00.000Z')).toEqual({
      type: 'EndAppointment',
      appointmentId: 'vera-validator-1',
      at: '2026-07-01T00:00:00.000Z',
    });
    given(past)
      .when({ type: 'EndAppointment', appointmentId: 'vera-validator-1', at: '2026-07-01T00:00:00.000Z' })
      .then([
        {
          type: 'AppointmentEnded',
          appointmentId: 'vera-validator-1',
          role: 'validator',
          cause: 'until_reached',
          by: { id: 'aims:person', role: 'system' },
          at: '2026-07-01T00:00:00.000Z',
        },
      ]);
  });

  test('a person who leaves ends every active appointment, and nothing more is recorded for them', () => {
    const past = history(register(), appoint(), appoint(owner, { appointmentId: 'vera-engineer-1', role: 'engineer', until: null }), {
      type: 'RevokeAppointment',
      appointmentId: 'vera-validator-1',
      reason: 'r',
      by: top,
      at: AT,
    });
    const { state, events } = given(past)
      .when({ type: 'RecordPersonLeft', reason: 'resigned', by: top, at: '2026-02-01T00:00:00.000Z' })
      .then([
        expect.objectContaining({ type: 'PersonLeft', reason: 'resigned' }),
        expect.objectContaining({ type: 'AppointmentEnded', appointmentId: 'vera-engineer-1', cause: 'person_left' }),
      ]);
    expect(state.status).toBe('left');
    expect(state.appointments.map((a) => a.status)).toEqual(['revoked', 'ended']);
    given([...past, ...events])
      .when(appoint(owner, { appointmentId: 'x' }))
      .then(expectError('PERSON_LEFT'));
  });
});

describe('evidence references', () => {
  test('every event is evidence for 5.3/A.3.2 or 7.1/A.4.6, and the person stream reads by its table', () => {
    for (const e of history(register(), appoint())) expect(eventReferences(e).length).toBeGreaterThan(0);
    expect(Object.keys(PERSON_ISO_42001_REFERENCES).sort()).toEqual([
      'AppointmentEnded',
      'AppointmentRevoked',
      'CompetenceExpiryReminded',
      'CompetenceLapsed',
      'CompetenceRecorded',
      'HumanTaskOpened',
      'HumanTaskSuperseded',
      'PersonIdentitiesChanged',
      'PersonLeft',
      'PersonRegistered',
      'RoleAppointed',
    ]);
    expect(tabledReferences('person-vera', 'RoleAppointed')).toEqual({ clauses: ['5.1', '5.3'], controls: ['A.3.2'] });
  });
});

describe('competence records', () => {
  const record = (by: Actor, extra: Partial<PersonCommand> = {}): PersonCommand =>
    ({
      type: 'RecordCompetence',
      recordId: 'vera-mv-2025',
      competence: 'model validation',
      kind: 'course',
      obtainedAt: '2025-01-10T00:00:00Z',
      expiresAt: null,
      evidenceRef: 'cert-123',
      by,
      at: AT,
      ...extra,
    }) as PersonCommand;

  test('recorded and approved by someone other than the person, as 7.2 evidence', () => {
    const { state, events } = given(history(register()))
      .when(record(owner))
      .then([
        {
          type: 'CompetenceRecorded',
          recordId: 'vera-mv-2025',
          competence: 'model validation',
          kind: 'course',
          obtainedAt: '2025-01-10T00:00:00.000Z',
          expiresAt: null,
          evidenceRef: 'cert-123',
          by: { id: 'Amara', role: 'aims_owner' },
          at: AT,
        },
      ]);
    expect(state.competence).toEqual([
      expect.objectContaining({ recordId: 'vera-mv-2025', approvedBy: { id: 'Amara', role: 'aims_owner' } }),
    ]);
    expect(eventReferences(events[0])).toEqual(['7.2', 'A.4.6']);
  });

  test('refused: by the person, bad fields, twice', () => {
    given(history(register())).when(record(veraAsOwner)).then(expectError('SEGREGATION_OF_DUTIES'));
    given(history(register()))
      .when(record(owner, { kind: 'rumour', evidenceRef: '' } as Partial<PersonCommand>))
      .then(expectError('VALIDATION_FAILED'));
    given(history(register(), record(owner)))
      .when(record(top))
      .then(expectError('DUPLICATE_ID'));
  });
});
