/**
 * The `people` read model (one row per person, identities for lookup) and the role assignments derived
 * from it (one row per appointment), and which appointments are in force as of an instant.
 */
import { decide, evolve, INITIAL_PERSON_STATE, type PersonCommand, type PersonEvent, type PersonState } from '../../../domain/people';
import type { Actor } from '../../../domain/shared/roles';
import type { Projected } from '../../../infra/ports/read-model-store.port';
import { appointmentsInForceAt, PEOPLE, roleAssignmentRows, type PersonRow } from '../../../infra/projections/read-models';
import { EvidenceLog } from '../../support/recorded-events';

const amara: Actor = { id: 'amara', roles: ['aims_owner'] };
const at = '2026-03-01T09:00:00.000Z';

function decided(commands: PersonCommand[]): PersonEvent[] {
  let state: PersonState = INITIAL_PERSON_STATE;
  const all: PersonEvent[] = [];
  for (const c of commands) {
    const r = decide(c, state);
    if (!r.ok) throw new Error(r.error.message);
    for (const e of r.value) state = evolve(state, e);
    all.push(...r.value);
  }
  return all;
}

function fold(log: EvidenceLog): Map<string, PersonRow> {
  const rows = new Map<string, Projected<PersonRow, PersonState>>();
  for (const event of log.events) {
    const key = PEOPLE.keyOf(event);
    if (key === null) continue;
    const next = PEOPLE.apply(rows.get(key) ?? null, event);
    if (next === null) rows.delete(key);
    else rows.set(key, JSON.parse(JSON.stringify(next)) as Projected<PersonRow, PersonState>);
  }
  return new Map([...rows].map(([k, v]) => [k, v.row]));
}

const register = (personId: string, identities: string[]): PersonCommand => ({
  type: 'RegisterPerson',
  personId,
  name: personId.toUpperCase(),
  contact: `${personId}@example.com`,
  unit: 'model-risk',
  identities,
  by: amara,
  at,
});

describe('people read model', () => {
  it('given people registered and appointed, when folded, then a row per person with normalised identities and appointed roles, and a row per appointment', () => {
    const log = new EvidenceLog();
    log.record('person-vera', [
      ...decided([
        register('vera', ['Vera', 'vera@example.com']),
        {
          type: 'AppointRole',
          appointmentId: 'v1',
          role: 'validator',
          covers: { systemIds: ['credit-scoring'] },
          from: '2026-03-01T00:00:00Z',
          until: '2026-09-01T00:00:00+02:00',
          responsibilities: 'signs off',
          by: amara,
          at,
        },
      ]),
    ]);
    log.record('person-otto', decided([register('otto', ['otto'])]));
    log.record('personal-notes', [{ type: 'Whatever', by: { id: 'x', role: 'system' }, at }]);
    const rows = fold(log);
    expect([...rows.keys()]).toEqual(['vera', 'otto']);
    expect(rows.get('vera')).toMatchObject({ identities: ['vera', 'vera@example.com'], appointedRoles: ['validator'], status: 'active' });
    expect(PEOPLE.columns.find((c) => c.name === 'identities')?.value(rows.get('vera') as PersonRow)).toEqual(['vera', 'vera@example.com']);
    const assignments = roleAssignmentRows(rows.get('vera') as PersonRow);
    expect(assignments).toEqual([
      {
        key: 'vera/v1',
        row: expect.objectContaining({
          personId: 'vera',
          role: 'validator',
          // Canonical UTC instants: they compare as text.
          from: '2026-03-01T00:00:00.000Z',
          until: '2026-08-31T22:00:00.000Z',
          status: 'active',
        }),
      },
    ]);
    expect(appointmentsInForceAt('2026-04-01T00:00:00.000Z')).toContainEqual({
      column: 'from_at',
      op: 'lte',
      value: '2026-04-01T00:00:00.000Z',
    });
  });
});
