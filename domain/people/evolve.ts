/**
 * Folds what happened to a person; decides nothing. Also how the events become evidence (data, actor, the
 * clauses and controls they are evidence for) and when the workflow's timer next has work.
 */
import { earliest } from '../shared/iso-time';
import type { JsonObject } from '../shared/json';
import type { ActorRef } from '../shared/roles';
import { evolveCompetenceTimer } from './competence-timers';
import type { Appointment, EndAppointment, PersonEvent, PersonEventType, PersonState } from './model';

const updateAppointment = (s: PersonState, appointmentId: string, f: (a: Appointment) => Appointment): PersonState => ({
  ...s,
  appointments: s.appointments.map((a) => (a.appointmentId === appointmentId ? f(a) : a)),
});

export function evolve(s: PersonState, e: PersonEvent): PersonState {
  switch (e.type) {
    case 'PersonRegistered':
      return {
        ...s,
        personId: e.personId,
        name: e.name,
        contact: e.contact,
        unit: e.unit,
        identities: [...e.identities],
        status: 'active',
        registeredBy: e.by,
        registeredAt: e.at,
      };
    case 'PersonIdentitiesChanged':
      return { ...s, identities: [...e.identities] };
    case 'RoleAppointed':
      return {
        ...s,
        appointments: [
          ...s.appointments,
          {
            appointmentId: e.appointmentId,
            role: e.role,
            covers: e.covers,
            from: e.from,
            until: e.until,
            responsibilities: e.responsibilities,
            appointedBy: e.by,
            appointedAt: e.at,
            status: 'active',
            endedAt: null,
            endedBy: null,
            endReason: null,
          },
        ],
      };
    case 'AppointmentRevoked':
      return updateAppointment(s, e.appointmentId, (a) => ({ ...a, status: 'revoked', endedAt: e.at, endedBy: e.by, endReason: e.reason }));
    case 'AppointmentEnded':
      return updateAppointment(s, e.appointmentId, (a) => ({
        ...a,
        status: 'ended',
        endedAt: e.at,
        endedBy: e.by,
        endReason: e.cause === 'person_left' ? 'the person left' : 'its term ran out',
      }));
    case 'PersonLeft':
      return { ...s, status: 'left', leftAt: e.at };
    case 'CompetenceRecorded':
      return {
        ...s,
        competence: [
          ...(s.competence ?? []),
          {
            recordId: e.recordId,
            competence: e.competence,
            kind: e.kind,
            obtainedAt: e.obtainedAt,
            expiresAt: e.expiresAt,
            evidenceRef: e.evidenceRef,
            approvedBy: e.by,
          },
        ],
      };
    case 'CompetenceExpiryReminded':
    case 'CompetenceLapsed':
    case 'HumanTaskOpened':
    case 'HumanTaskSuperseded':
      return evolveCompetenceTimer(s, e);
    default:
      return s;
  }
}

export function eventData(event: PersonEvent): JsonObject {
  const { type: _type, ...data } = event;
  return data;
}

export function eventActor(event: PersonEvent): ActorRef {
  return event.by;
}

/**
 * Which clauses and Annex A controls each event is evidence for: roles, responsibilities and authorities
 * are assigned and communicated (5.3, A.3.2) by top management's authority (5.1); the people doing the
 * work and the identities acting for them are the human resources of 7.1 and A.4.6.
 */
export const PERSON_ISO_42001_REFERENCES: Record<PersonEventType, string[]> = {
  PersonRegistered: ['7.1', 'A.4.6'],
  PersonIdentitiesChanged: ['7.1', 'A.4.6'],
  RoleAppointed: ['5.1', '5.3', 'A.3.2'],
  AppointmentRevoked: ['5.3', 'A.3.2'],
  AppointmentEnded: ['5.3', 'A.3.2'],
  PersonLeft: ['5.3', '7.1', 'A.3.2', 'A.4.6'],
  CompetenceRecorded: ['7.2', 'A.4.6'],
  CompetenceExpiryReminded: ['7.2', 'A.4.6'],
  CompetenceLapsed: ['7.2', 'A.4.6'],
  // The training action: competence acquired where it lacks (7.2 c), in the owner's inbox (5.3).
  HumanTaskOpened: ['5.3', '7.2', 'A.4.6'],
  HumanTaskSuperseded: ['7.2', 'A.4.6'],
};

export function eventReferences(event: PersonEvent): readonly string[] {
  return PERSON_ISO_42001_REFERENCES[event.type];
}

/** The state after one recorded evidence event (its type and data); unknown types change nothing. */
export function evolveRecorded(s: PersonState, recorded: { type: string; data: JsonObject }): PersonState {
  return evolve(s, { type: recorded.type, ...recorded.data } as unknown as PersonEvent);
}

/** The earliest `until` of an active appointment: when the workflow's timer next has work (null: none). */
export function nextAppointmentEnd(s: PersonState): string | null {
  return earliest(s.appointments.filter((a) => a.status === 'active' && a.until !== null).map((a) => a.until));
}

/** The timer's command at `at`: end the first active appointment whose `until` has passed, if any. */
export function dueAppointmentEnd(s: PersonState, at: string): EndAppointment | null {
  const due = s.appointments.find((a) => a.status === 'active' && a.until !== null && Date.parse(a.until) <= Date.parse(at));
  return due ? { type: 'EndAppointment', appointmentId: due.appointmentId, at } : null;
}

/** The id the engine gives the next appointment when the caller names none: `<personId>-<role>-<n>`. */
export function nextAppointmentId(s: PersonState, role: string): string {
  return `${s.personId}-${role}-${s.appointments.length + 1}`;
}
