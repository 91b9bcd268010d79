/**
 * The roles a request acts with: its credential's roles ∩ the person's appointments at that instant, with
 * the appointment that grants each; and the RACI view generated from the processes' authority rules.
 */
import { COMMAND_ROLES } from '../../../../domain/ai-system/authority';
import { DEFAULT_LIFECYCLE_POLICY } from '../../../../domain/ai-system/policy';
import { SOA_APPROVER_ROLES } from '../../../../domain/soa';
import {
  actingRoles,
  decide,
  describeRefusal,
  evolve,
  INITIAL_PERSON_STATE,
  personActingFor,
  raciView,
  stepsByRole,
  type PersonCommand,
  type PersonState,
} from '../../../../domain/people';
import type { Actor, AimsRole } from '../../../../domain/shared/roles';

const owner: Actor = { id: 'amara', roles: ['aims_owner'] };
const RECORDED = '2026-01-05T10:00:00.000Z';
const FROM = '2026-01-06T00:00:00.000Z';
const UNTIL = '2026-07-01T00:00:00.000Z';
const REVOKED = '2026-03-01T12:00:00.000Z';

const fold = (...commands: PersonCommand[]): PersonState =>
  commands.reduce((s, c) => {
    const r = decide(c, s);
    if (!r.ok) throw new Error(`${c.type}: ${r.error.message}`);
    return r.value.reduce(evolve, s);
  }, INITIAL_PERSON_STATE);

const register: PersonCommand = {
  type: 'RegisterPerson',
  personId: 'vera',
  name: 'Vera',
  contact: 'vera@example.com',
  unit: 'model-risk',
  identities: ['vera', 'vera@example.com'],
  by: owner,
  at: RECORDED,
};
const appointValidator: PersonCommand = {
  type: 'AppointRole',
  appointmentId: 'a-validator',
  role: 'validator',
  covers: { wholeAims: true },
  from: FROM,
  until: UNTIL,
  responsibilities: 'Signs off validations',
  by: owner,
  at: RECORDED,
};
const appointEngineerForOneSystem: PersonCommand = {
  type: 'AppointRole',
  appointmentId: 'a-engineer',
  role: 'engineer',
  covers: { systemIds: ['credit-scoring'] },
  from: FROM,
  until: null,
  responsibilities: 'Builds credit-scoring',
  by: owner,
  at: RECORDED,
};
const vera = fold(register, appointValidator, appointEngineerForOneSystem);
const revoked = fold(register, appointValidator, appointEngineerForOneSystem, {
  type: 'RevokeAppointment',
  appointmentId: 'a-validator',
  reason: 'moved',
  by: owner,
  at: REVOKED,
});
const left = fold(register, appointValidator, { type: 'RecordPersonLeft', reason: 'resigned', by: owner, at: REVOKED });

const credential: AimsRole[] = ['validator', 'engineer', 'approver'];
const rolesAt = (person: PersonState | null, at: string, roles: AimsRole[] = credential, subject = {}) =>
  actingRoles({ credentialRoles: roles, person, at, subject });

describe('the roles a request acts with', () => {
  test('within the term: the credential’s roles the person is appointed to, each with its appointment', () => {
    expect(rolesAt(vera, '2026-02-01T00:00:00.000Z')).toEqual({
      personId: 'vera',
      roles: ['validator', 'engineer'],
      grants: [
        { role: 'validator', appointmentId: 'a-validator' },
        { role: 'engineer', appointmentId: 'a-engineer' },
      ],
      refused: [{ role: 'approver', reason: 'not_appointed', appointmentId: null }],
    });
  });

  test('a role the person is appointed to but the credential does not allow is not acted with', () => {
    expect(rolesAt(vera, '2026-02-01T00:00:00.000Z', ['engineer']).roles).toEqual(['engineer']);
  });

  test('around from: not yet at the last millisecond before, counted from the instant itself', () => {
    expect(rolesAt(vera, '2026-01-05T23:59:59.999Z').refused).toContainEqual({
      role: 'validator',
      reason: 'not_started',
      appointmentId: 'a-validator',
    });
    expect(rolesAt(vera, FROM).roles).toContain('validator');
  });

  test('a back-dated appointment does not count before it was recorded', () => {
    const backdated = fold(register, { ...appointValidator, from: '2025-01-01T00:00:00.000Z' });
    expect(rolesAt(backdated, '2026-01-05T09:59:59.999Z', ['validator']).refused[0]?.reason).toBe('not_started');
    expect(rolesAt(backdated, RECORDED, ['validator']).roles).toEqual(['validator']);
  });

  test('around until: counted at the last millisecond before, expired at the instant itself (before any timer runs)', () => {
    expect(rolesAt(vera, '2026-06-30T23:59:59.999Z').roles).toContain('validator');
    expect(rolesAt(vera, UNTIL).refused).toContainEqual({ role: 'validator', reason: 'expired', appointmentId: 'a-validator' });
  });

  test('around a revocation: counted before it, refused from its instant on; as of an earlier date it still counted', () => {
    expect(rolesAt(revoked, '2026-03-01T11:59:59.999Z').roles).toContain('validator');
    const after = rolesAt(revoked, REVOKED);
    expect(after.roles).toEqual(['engineer']);
    expect(after.refused).toContainEqual({ role: 'validator', reason: 'revoked', appointmentId: 'a-validator' });
  });

  test('a person who left acts with no human role from the instant they left', () => {
    expect(rolesAt(left, '2026-03-01T11:59:59.999Z', ['validator']).roles).toEqual(['validator']);
    expect(rolesAt(left, REVOKED, ['validator', 'engineer']).refused).toEqual([
      { role: 'validator', reason: 'person_left', appointmentId: 'a-validator' },
      { role: 'engineer', reason: 'person_left', appointmentId: null },
    ]);
  });

  test('a scoped appointment covers its systems only; a request whose subject is unknown is judged by role', () => {
    const at = '2026-02-01T00:00:00.000Z';
    expect(rolesAt(vera, at, ['engineer'], { systemId: 'credit-scoring' }).roles).toEqual(['engineer']);
    expect(rolesAt(vera, at, ['engineer'], { systemId: 'support-assistant' }).refused).toEqual([
      { role: 'engineer', reason: 'not_covered', appointmentId: 'a-engineer' },
    ]);
    expect(rolesAt(vera, at, ['validator'], { systemId: 'support-assistant' }).roles).toEqual(['validator']);
  });

  test('a request about several systems (a nonconformity naming two) is covered only by an appointment naming each; a unit scope covers its unit', () => {
    const at = '2026-02-01T00:00:00.000Z';
    const both = fold(register, { ...appointEngineerForOneSystem, covers: { systemIds: ['credit-scoring', 'support-assistant'] } });
    expect(rolesAt(vera, at, ['engineer'], { systemIds: ['credit-scoring', 'support-assistant'] }).refused).toEqual([
      { role: 'engineer', reason: 'not_covered', appointmentId: 'a-engineer' },
    ]);
    expect(rolesAt(both, at, ['engineer'], { systemIds: ['credit-scoring', 'support-assistant'] }).grants).toEqual([
      { role: 'engineer', appointmentId: 'a-engineer' },
    ]);
    // systemId and systemIds together name one set
    expect(rolesAt(vera, at, ['engineer'], { systemId: 'credit-scoring', systemIds: ['credit-scoring'] }).roles).toEqual(['engineer']);
    const unitOnly = fold(register, { ...appointEngineerForOneSystem, covers: { units: ['model-risk'] } });
    expect(rolesAt(unitOnly, at, ['engineer'], { unit: 'model-risk' }).roles).toEqual(['engineer']);
    expect(rolesAt(unitOnly, at, ['engineer'], { systemId: 'credit-scoring' }).refused).toEqual([
      { role: 'engineer', reason: 'not_covered', appointmentId: 'a-engineer' },
    ]);
    // of two appointments to one role, the one covering the subject grants it
    const twoScopes = fold(register, appointEngineerForOneSystem, {
      ...appointEngineerForOneSystem,
      appointmentId: 'a-engineer-support',
      covers: { systemIds: ['support-assistant'] },
    });
    expect(rolesAt(twoScopes, at, ['engineer'], { systemId: 'support-assistant' }).grants).toEqual([
      { role: 'engineer', appointmentId: 'a-engineer-support' },
    ]);
  });

  test('no person behind the credential: no human role; a pipeline keeps ci (a machine identity)', () => {
    expect(rolesAt(null, '2026-02-01T00:00:00.000Z', ['ci', 'engineer'])).toEqual({
      personId: null,
      roles: ['ci'],
      grants: [{ role: 'ci', appointmentId: null }],
      refused: [{ role: 'engineer', reason: 'no_person', appointmentId: null }],
    });
  });

  test('refusals say why in words', () => {
    expect(describeRefusal({ role: 'validator', reason: 'revoked', appointmentId: 'a-validator' })).toBe(
      'their appointment to validator was revoked (appointment a-validator)',
    );
  });

  test('the person behind an identity is found by its normalised form; an identity two people claim finds nobody', () => {
    expect(personActingFor('ＶＥＲＡ', [vera])?.personId).toBe('vera');
    expect(personActingFor('someone', [vera])).toBeNull();
    expect(personActingFor('vera', [vera, { ...vera, personId: 'vera-2' }])).toBeNull();
  });
});

describe('RACI generated from the authority rules', () => {
  const view = raciView();
  const rowOf = (process: string, step: string) => view.find((p) => p.process === process)?.rows.find((r) => r.step === step);

  test('every process with its rows; the lifecycle commands are exactly the command role table', () => {
    expect(view.map((p) => p.process)).toEqual([
      'ai-system',
      'nonconformity',
      'risk',
      'risk-criteria',
      'lifecycle-policy',
      'soa',
      'person',
    ]);
    const commands = view[0]?.rows.filter((r) => r.kind === 'command') ?? [];
    expect(Object.fromEntries(commands.map((r) => [r.step, r.responsible]))).toEqual(COMMAND_ROLES);
  });

  test('tasks take the policy’s roles and are accountable to the escalation role; another policy changes the view', () => {
    expect(rowOf('ai-system', 'validation_sign_off')).toMatchObject({
      kind: 'task',
      responsible: ['validator'],
      accountable: ['aims_owner'],
    });
    const policy = {
      ...DEFAULT_LIFECYCLE_POLICY,
      taskRoles: { ...DEFAULT_LIFECYCLE_POLICY.taskRoles, validation_sign_off: ['risk_owner'] as AimsRole[] },
    };
    expect(raciView(policy)[0]?.rows.find((r) => r.step === 'validation_sign_off')?.responsible).toEqual(['risk_owner']);
    expect(rowOf('soa', 'soa_revision_approval')?.responsible).toEqual([...SOA_APPROVER_ROLES]);
    expect(rowOf('person', 'AppointRole')?.responsible).toEqual(['aims_owner', 'top_management']);
  });

  test('no row gives anything to the read-only auditor, and no task to a pipeline', () => {
    for (const p of view) {
      for (const r of p.rows) {
        expect(r.responsible).not.toContain('auditor');
        if (r.kind === 'task') expect(r.responsible).not.toContain('ci');
      }
    }
    const byRole = stepsByRole(view);
    expect(byRole.validator?.responsible).toContain('ai-system:validation_sign_off');
    expect(byRole.auditor).toBeUndefined();
  });
});

describe('the evidence names the person and the appointment', () => {
  test('the role acted under carries the appointment that grants it; an actor without a person records what it always did', async () => {
    const { actingAs } = await import('../../../../domain/shared/roles');
    const narrowed = {
      id: 'vera@example.com',
      roles: ['validator', 'engineer'] as AimsRole[],
      personId: 'vera',
      appointments: { validator: 'a-validator', engineer: 'a-engineer' },
    };
    expect(actingAs(narrowed, ['engineer'])).toEqual({
      id: 'vera@example.com',
      role: 'engineer',
      personId: 'vera',
      appointmentId: 'a-engineer',
    });
    expect(actingAs({ id: 'erin', roles: ['engineer'] }, ['engineer'])).toEqual({ id: 'erin', role: 'engineer' });
  });
});

test('once the timer has recorded the end of a term, the refusal still says it ran out', () => {
  const ended = fold(register, appointValidator, { type: 'EndAppointment', appointmentId: 'a-validator', at: '2026-07-01T00:00:01.000Z' });
  expect(rolesAt(ended, '2026-07-02T00:00:00.000Z', ['validator']).refused).toEqual([
    { role: 'validator', reason: 'expired', appointmentId: 'a-validator' },
  ]);
});
