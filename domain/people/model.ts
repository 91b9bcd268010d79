/**
 * People and their role appointments (ISO/IEC 42001 5.3, A.3.2): who the organisation's people are, which
 * credentials act for them, and which AIMS roles they are appointed to, for what, from when until when.
 * One stream and workflow per person, `person-<personId>`.
 *
 * - A person is registered with a name, a contact, an organisational unit and the identities (API token
 *   names, JWT subjects; normalised, domain/shared/actor-identity) that act for them.
 * - An appointment gives one role, covering the whole AIMS or named AI systems and/or units, from an
 *   instant until an optional instant, with its responsibilities in words. It is recorded by the AIMS owner
 *   or top management (APPOINTING_ROLES), never by the appointee nor by any credential acting for them.
 * - An appointment is revoked with a reason (at once), ends when its `until` passes (the workflow's timer
 *   records AppointmentEnded) and ends with every other appointment when the person leaves.
 * - `ci` is a pipeline's role, a machine identity: nobody is appointed to it (acting-roles.ts).
 *
 * Commands, events and state are plain JSON (they cross Temporal payloads and become evidence).
 */
import type { Actor, ActorRef, AimsRole } from '../shared/roles';
import type { HumanTask } from '../shared/human-task';
import type { CompetenceKind, CompetenceRecord } from './competence';

export const PERSON_CATEGORY = 'person';
export const PERSON_SYSTEM_ACTOR: ActorRef = { id: 'aims:person', role: 'system' };
export const PERSON_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
export const PERSON_ID_RULE = 'a person id is 1–63 letters, digits, ".", "_" or "-", starting with a letter or digit';
export const APPOINTMENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** The stream and workflow id of a person. */
export function personStream(personId: string): string {
  return `${PERSON_CATEGORY}-${personId}`;
}
export const personWorkflowId = personStream;

/** Who registers people, appoints them to roles, revokes appointments and records that someone left (5.3). */
export const APPOINTING_ROLES: readonly AimsRole[] = ['aims_owner', 'top_management'];
/** Roles held by machines (pipelines), never by an appointment: a credential holding them needs no person. */
export const MACHINE_ROLES: readonly AimsRole[] = ['ci'];

/** Bounds that keep a person's record a reasonable piece of evidence. */
export const MAX_IDENTITIES = 20;
export const MAX_COVERAGE = 100;

/** What an appointment covers: the whole AIMS, or named AI systems and/or organisational units. */
export type AppointmentCoverage = { wholeAims: boolean; systemIds: string[]; units: string[] };

export type AppointmentStatus = 'active' | 'revoked' | 'ended';

export type Appointment = {
  appointmentId: string;
  role: AimsRole;
  covers: AppointmentCoverage;
  /** The instant it takes effect, and the instant it stops (null: until revoked or the person leaves). */
  from: string;
  until: string | null;
  responsibilities: string;
  appointedBy: ActorRef;
  appointedAt: string;
  status: AppointmentStatus;
  /** When it stopped counting (revoked, until reached, person left) and why. */
  endedAt: string | null;
  endedBy: ActorRef | null;
  endReason: string | null;
};

export type PersonStatus = 'active' | 'left';

export type PersonState = {
  personId: string;
  name: string;
  contact: string;
  unit: string;
  /** Normalised identities (token names, JWT subjects) that act for the person, sorted. */
  identities: string[];
  status: PersonStatus;
  registeredBy: ActorRef | null;
  registeredAt: string | null;
  leftAt: string | null;
  appointments: Appointment[];
  /** Competence records (7.2), each approved by whoever recorded it (never the person). Absent before issue 16 item 2. */
  competence?: CompetenceRecord[];
  /** Records whose coming expiry was reminded, and records that lapsed (competence-timers.ts). Absent before the timers. */
  competenceReminded?: string[];
  competenceLapsed?: string[];
  /** The training actions a lapse opened (`competence_training`, in the AIMS owner's inbox). */
  trainingTasks?: HumanTask<'competence_training'>[];
};

export const INITIAL_PERSON_STATE: PersonState = {
  personId: '',
  name: '',
  contact: '',
  unit: '',
  identities: [],
  status: 'active',
  registeredBy: null,
  registeredAt: null,
  leftAt: null,
  appointments: [],
};

/** True once the person has been registered (the state of an unregistered stream is the initial one). */
export function isRegistered(s: PersonState): boolean {
  return s.registeredAt !== null;
}

// ---------- commands ----------

export type CoverageInput = { wholeAims?: boolean; systemIds?: string[]; units?: string[] };

export type RegisterPerson = {
  type: 'RegisterPerson';
  personId: string;
  name: string;
  contact: string;
  unit: string;
  identities: string[];
  by: Actor;
  at: string;
};

/** Replaces the identities that act for the person (a new token, a changed JWT subject). */
export type ChangePersonIdentities = { type: 'ChangePersonIdentities'; identities: string[]; reason: string; by: Actor; at: string };

export type AppointRole = {
  type: 'AppointRole';
  appointmentId: string;
  role: AimsRole;
  covers: CoverageInput;
  from: string;
  until?: string | null;
  responsibilities: string;
  by: Actor;
  at: string;
};

export type RevokeAppointment = { type: 'RevokeAppointment'; appointmentId: string; reason: string; by: Actor; at: string };

export type RecordPersonLeft = { type: 'RecordPersonLeft'; reason: string; by: Actor; at: string };

/** A competence record (7.2), approved by whoever records it: someone other than the person. */
export type RecordCompetence = {
  type: 'RecordCompetence';
  recordId: string;
  competence: string;
  kind: CompetenceKind;
  obtainedAt: string;
  expiresAt?: string | null;
  evidenceRef: string;
  by: Actor;
  at: string;
};

/** The workflow's timer: the appointment's `until` has passed. Acts as PERSON_SYSTEM_ACTOR. */
export type EndAppointment = { type: 'EndAppointment'; appointmentId: string; at: string };

/** The workflow's timer: a record's expiry is near (a reminder), or has come (the lapse opens a training action). */
export type RemindCompetenceExpiry = { type: 'RemindCompetenceExpiry'; recordId: string; at: string };
export type LapseCompetence = { type: 'LapseCompetence'; recordId: string; at: string };

export type PersonCommand =
  | RegisterPerson
  | ChangePersonIdentities
  | AppointRole
  | RevokeAppointment
  | RecordPersonLeft
  | EndAppointment
  | RecordCompetence
  | RemindCompetenceExpiry
  | LapseCompetence;
export type PersonCommandType = PersonCommand['type'];

// ---------- events ----------

type Base = { by: ActorRef; at: string };
export type PersonRegistered = Base & {
  type: 'PersonRegistered';
  personId: string;
  name: string;
  contact: string;
  unit: string;
  identities: string[];
};
export type PersonIdentitiesChanged = Base & { type: 'PersonIdentitiesChanged'; identities: string[]; reason: string };
export type RoleAppointed = Base & {
  type: 'RoleAppointed';
  appointmentId: string;
  role: AimsRole;
  covers: AppointmentCoverage;
  from: string;
  until: string | null;
  responsibilities: string;
};
export type AppointmentRevoked = Base & { type: 'AppointmentRevoked'; appointmentId: string; role: AimsRole; reason: string };
export type AppointmentEnded = Base & {
  type: 'AppointmentEnded';
  appointmentId: string;
  role: AimsRole;
  cause: 'until_reached' | 'person_left';
};
export type PersonLeft = Base & { type: 'PersonLeft'; reason: string };
export type CompetenceRecorded = Base & {
  type: 'CompetenceRecorded';
  recordId: string;
  competence: string;
  kind: CompetenceKind;
  obtainedAt: string;
  expiresAt: string | null;
  evidenceRef: string;
};

export type CompetenceExpiryReminded = Base & { type: 'CompetenceExpiryReminded'; recordId: string; competence: string; expiresAt: string };
export type CompetenceLapsed = Base & { type: 'CompetenceLapsed'; recordId: string; competence: string; expiredAt: string; taskId: string };
/** The training action a lapse opens, in the shape every process records a human task (the one inbox reads it). */
export type TrainingActionOpened = Base & {
  type: 'HumanTaskOpened';
  taskId: string;
  kind: 'competence_training';
  requiredRoles: AimsRole[];
  subject: { personId: string; competence: string; recordId: string; expiredAt: string };
  requestedBy: null;
  dueAt: string;
};
/** A new current record for the competence closes its open training action (no decision: the record is the answer). */
export type TrainingActionSuperseded = Base & { type: 'HumanTaskSuperseded'; taskId: string; reason: string };

export type PersonEvent =
  | PersonRegistered
  | PersonIdentitiesChanged
  | RoleAppointed
  | AppointmentRevoked
  | AppointmentEnded
  | PersonLeft
  | CompetenceRecorded
  | CompetenceExpiryReminded
  | CompetenceLapsed
  | TrainingActionOpened
  | TrainingActionSuperseded;
export type PersonEventType = PersonEvent['type'];
