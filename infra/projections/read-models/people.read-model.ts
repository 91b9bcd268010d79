/**
 * The person register (5.3, 7.1) and its role appointments, for lists and lookups: one row per
 * `person-<id>` stream (PEOPLE, folded with the people domain's own `evolve`; its `identities` column finds
 * the person behind a credential), and one row per appointment (ROLE_ASSIGNMENTS, derived from the person's
 * fold). Which roles count at an instant is not stored (it depends on the instant): callers compute it
 * with domain/people/acting-roles.ts from the appointments, or filter appointments in force at `asOf` with
 * `appointmentsInForceAt` (text comparison of canonical UTC instants, which the domain records).
 *
 * Enforcement does not read these rows (projection lag): it reads the person's own stream at request time.
 */
import {
  evolve,
  INITIAL_PERSON_STATE,
  PERSON_CATEGORY,
  type Appointment,
  type PersonEvent,
  type PersonState,
} from '../../../domain/people';
import type { ActorRef, AimsRole } from '../../../domain/shared/roles';
import type { RecordedEvidenceEvent } from '../../ports/event-store.port';
import type { Projected, ReadModelCondition, ReadModelDefinition } from '../../ports/read-model-store.port';

export interface PersonRow {
  personId: string;
  stream: string;
  name: string;
  contact: string;
  unit: string;
  identities: string[];
  status: PersonState['status'];
  /** Roles of the appointments not revoked or ended (their terms may not have started or may have run out). */
  appointedRoles: AimsRole[];
  appointments: Appointment[];
  registeredAt: string;
  registeredPosition: number;
  leftAt: string | null;
  updatedAt: string;
  lastPosition: number;
}

export interface RoleAssignmentRow {
  appointmentId: string;
  personId: string;
  personName: string;
  unit: string;
  role: AimsRole;
  covers: Appointment['covers'];
  from: string;
  until: string | null;
  responsibilities: string;
  status: Appointment['status'];
  appointedBy: ActorRef;
  appointedAt: string;
  endedAt: string | null;
  endReason: string | null;
}

const PREFIX = `${PERSON_CATEGORY}-`;

function summarise(s: PersonState, event: RecordedEvidenceEvent, before: PersonRow | undefined): PersonRow {
  return {
    personId: s.personId,
    stream: event.stream,
    name: s.name,
    contact: s.contact,
    unit: s.unit,
    identities: [...s.identities],
    status: s.status,
    appointedRoles: [...new Set(s.appointments.filter((a) => a.status === 'active').map((a) => a.role))].sort(),
    appointments: s.appointments,
    registeredAt: before?.registeredAt ?? event.recordedAt,
    registeredPosition: before?.registeredPosition ?? event.position,
    leftAt: s.leftAt,
    updatedAt: event.recordedAt,
    lastPosition: event.position,
  };
}

export const PEOPLE: ReadModelDefinition<PersonRow, PersonState> = {
  name: 'people',
  version: 1,
  columns: [
    { name: 'name', type: 'text', value: (r) => r.name },
    { name: 'unit', type: 'text', value: (r) => r.unit },
    { name: 'status', type: 'text', value: (r) => r.status },
    { name: 'identities', type: 'json-list', value: (r) => r.identities },
    { name: 'appointed_roles', type: 'json-list', value: (r) => r.appointedRoles },
    { name: 'registered_at', type: 'text', value: (r) => r.registeredAt },
    { name: 'registered_position', type: 'integer', orderable: true, value: (r) => r.registeredPosition },
  ],
  indexes: [['unit'], ['status']],
  keyOf: (event) => (event.stream.startsWith(PREFIX) ? event.stream.slice(PREFIX.length) : null),
  apply(current: Projected<PersonRow, PersonState> | null, event: RecordedEvidenceEvent) {
    // A stream that does not begin with a registration is not a person's.
    if (current === null && event.type !== 'PersonRegistered') return null;
    const state = evolve(current?.state ?? INITIAL_PERSON_STATE, { ...event.data, type: event.type } as unknown as PersonEvent);
    if (state === current?.state) return current;
    return { row: summarise(state, event, current?.row), state };
  },
};

export function roleAssignmentRows(person: PersonRow): Array<{ key: string; row: RoleAssignmentRow }> {
  return person.appointments.map((a) => ({
    key: `${person.personId}/${a.appointmentId}`,
    row: {
      appointmentId: a.appointmentId,
      personId: person.personId,
      personName: person.name,
      unit: person.unit,
      role: a.role,
      covers: a.covers,
      from: a.from,
      until: a.until,
      responsibilities: a.responsibilities,
      status: a.status,
      appointedBy: a.appointedBy,
      appointedAt: a.appointedAt,
      endedAt: a.endedAt,
      endReason: a.endReason,
    },
  }));
}

export const ROLE_ASSIGNMENTS: ReadModelDefinition<RoleAssignmentRow, null> = {
  name: 'role_assignments',
  version: 1,
  columns: [
    { name: 'person_id', type: 'text', value: (r) => r.personId },
    { name: 'role', type: 'text', value: (r) => r.role },
    { name: 'status', type: 'text', value: (r) => r.status },
    { name: 'unit', type: 'text', value: (r) => r.unit },
    { name: 'system_ids', type: 'json-list', value: (r) => r.covers.systemIds },
    { name: 'whole_aims', type: 'integer', value: (r) => (r.covers.wholeAims ? 1 : 0) },
    { name: 'from_at', type: 'text', value: (r) => r.from },
    { name: 'until_at', type: 'text', value: (r) => r.until },
    { name: 'appointed_at', type: 'text', value: (r) => r.appointedAt },
    { name: 'ended_at', type: 'text', value: (r) => r.endedAt },
  ],
  indexes: [['person_id'], ['role']],
  // No rows of its own: every row is derived from a person's fold.
  keyOf: () => null,
  apply: (current) => current,
  derived: [{ from: PEOPLE, rowsOf: (source) => roleAssignmentRows(source.row as PersonRow) }],
};

/**
 * The conditions that keep the appointments in force at `asOf` (a canonical UTC instant): recorded and
 * started by then, not run out, revoked or ended by then. The read model holds today's knowledge of each
 * appointment, which is what the evidence says held at `asOf` (appointments are only ever added, and their
 * end is recorded with its instant).
 */
export function appointmentsInForceAt(asOf: string): ReadModelCondition[] {
  return [
    { column: 'appointed_at', op: 'lte', value: asOf },
    { column: 'from_at', op: 'lte', value: asOf },
    {
      op: 'or',
      conditions: [
        { column: 'until_at', op: 'isNull' },
        { column: 'until_at', op: 'gt', value: asOf },
      ],
    },
    {
      op: 'or',
      conditions: [
        { column: 'ended_at', op: 'isNull' },
        { column: 'ended_at', op: 'gt', value: asOf },
      ],
    },
  ];
}
