/**
 * Every rule of the person process: what a registration and an appointment must contain, who may record
 * them (APPOINTING_ROLES), and that nobody appoints themselves, not even through another credential that
 * acts for them (A.3.2). Revoking and recording a departure narrow authority, so the appointee may do them
 * too (a resignation); changing the identities that act for someone widens it, so they may not.
 */
import { isSystemIdentity, normaliseIdentity } from '../shared/actor-identity';
import { domainError, type DomainError } from '../shared/domain-error';
import { isAtOrAfter, isBefore, isIsoTimestamp } from '../shared/iso-time';
import type { JsonObject } from '../shared/json';
import { err, ok, type Result } from '../shared/result';
import { actingAs, actorProblem, isAimsRole, type Actor, type ActorRef } from '../shared/roles';
import { ValidationIssues, validationFailed } from '../shared/validation';
import { competenceRecordIssues } from './competence';
import { decideCompetenceTimer, trainingActionsClosedBy } from './competence-timers';
import {
  APPOINTING_ROLES,
  APPOINTMENT_ID,
  isRegistered,
  MACHINE_ROLES,
  MAX_COVERAGE,
  MAX_IDENTITIES,
  PERSON_ID,
  PERSON_ID_RULE,
  PERSON_SYSTEM_ACTOR,
  type AppointmentCoverage,
  type AppointRole,
  type ChangePersonIdentities,
  type CompetenceRecorded,
  type EndAppointment,
  type PersonCommand,
  type PersonEvent,
  type PersonState,
  type RecordCompetence,
  type RecordPersonLeft,
  type RegisterPerson,
  type RevokeAppointment,
} from './model';

export type PersonError = DomainError;

const MAX_TEXT = 4000;
const SCOPE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

const refuse = (code: string, message: string, details: JsonObject = {}): Result<never, PersonError> =>
  err(domainError(code, message, details));

function authority(by: Actor, what: string): Result<ActorRef, PersonError> {
  const problem = actorProblem(by);
  if (problem) return refuse('INVALID_ACTOR', problem);
  if (!APPOINTING_ROLES.some((r) => by.roles.includes(r))) {
    return refuse('MISSING_ROLE', `${by.id} cannot ${what}: it needs one of the roles ${APPOINTING_ROLES.join(', ')}.`, {
      actorId: by.id,
      actorRoles: [...by.roles],
      requiredRoles: [...APPOINTING_ROLES],
    });
  }
  return ok(actingAs(by, APPOINTING_ROLES));
}

function registered(s: PersonState): Result<true, PersonError> {
  if (!isRegistered(s)) return refuse('PERSON_UNKNOWN', 'This person has not been registered.');
  if (s.status === 'left')
    return refuse('PERSON_LEFT', `${s.personId} left at ${s.leftAt ?? '?'}; nothing more is recorded for them.`, { personId: s.personId });
  return ok(true);
}

/** Nobody widens their own authority: `by` must not be one of the identities that act for the person. */
function notThePerson(s: PersonState, by: Actor, act: string): Result<true, PersonError> {
  const id = normaliseIdentity(by.id);
  if (s.identities.includes(id)) {
    return refuse('SEGREGATION_OF_DUTIES', `${by.id} acts for ${s.personId}; someone else must ${act}.`, {
      actorId: by.id,
      personId: s.personId,
      conflict: 'acts for the appointee',
    });
  }
  return ok(true);
}

function text(v: ValidationIssues, field: string, value: unknown, max = MAX_TEXT): boolean {
  if (!v.text(field, value)) return false;
  return (value as string).length <= max || v.add(field, `must be at most ${max} characters`);
}

/** The identities as recorded: normalised, unique, sorted, none in the system actors' namespace. */
function checkIdentities(v: ValidationIssues, value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((x) => typeof x === 'string' && x.trim() !== '' && x.length <= 200)) {
    v.add('identities', 'must be a list of non-empty identities (token names, JWT subjects) of at most 200 characters');
    return [];
  }
  if (value.length > MAX_IDENTITIES) v.add('identities', `must name at most ${MAX_IDENTITIES}`);
  const normalised = (value as string[]).map(normaliseIdentity);
  v.distinct('identities', normalised, 'identity');
  const reserved = normalised.filter(isSystemIdentity);
  if (reserved.length > 0) v.add('identities', `must not be in the engine's own namespace: ${reserved.join(', ')}`);
  return [...new Set(normalised)].sort();
}

function checkCoverage(v: ValidationIssues, value: unknown): AppointmentCoverage {
  const none: AppointmentCoverage = { wholeAims: false, systemIds: [], units: [] };
  if (typeof value !== 'object' || value === null) {
    v.add('covers', 'must say what the appointment covers: { wholeAims: true } or systemIds and/or units');
    return none;
  }
  const c = value as Record<string, unknown>;
  const list = (field: string, x: unknown): string[] => {
    if (x === undefined) return [];
    if (!Array.isArray(x) || !x.every((y) => typeof y === 'string' && SCOPE_ID.test(y))) {
      v.add(`covers.${field}`, 'must be a list of ids: letters, digits, ".", "_", ":" or "-"');
      return [];
    }
    if (x.length > MAX_COVERAGE) v.add(`covers.${field}`, `must name at most ${MAX_COVERAGE}`);
    v.distinct(`covers.${field}`, x);
    return [...(x as string[])];
  };
  const wholeAims = c.wholeAims === undefined ? false : c.wholeAims;
  if (typeof wholeAims !== 'boolean') v.add('covers.wholeAims', 'must be true or false');
  const systemIds = list('systemIds', c.systemIds);
  const units = list('units', c.units);
  if (wholeAims === true && (systemIds.length > 0 || units.length > 0))
    v.add('covers', 'covers either the whole AIMS or named systems and/or units, not both');
  if (wholeAims !== true && systemIds.length === 0 && units.length === 0)
    v.add('covers', 'must cover the whole AIMS or name at least one AI system or unit');
  return { wholeAims: wholeAims === true, systemIds, units };
}

function register(c: RegisterPerson, s: PersonState): Result<PersonEvent[], PersonError> {
  const v = new ValidationIssues();
  if (typeof c.personId !== 'string' || !PERSON_ID.test(c.personId)) v.add('personId', `must be ${PERSON_ID_RULE}`);
  else if (isSystemIdentity(c.personId)) v.add('personId', "must not be in the engine's own namespace");
  text(v, 'name', c.name, 200);
  text(v, 'contact', c.contact, 200);
  text(v, 'unit', c.unit, 200);
  const identities = checkIdentities(v, c.identities);
  if (!v.empty) return err(validationFailed(c.type, v.list));
  const by = authority(c.by, 'register a person');
  if (!by.ok) return by;
  if (isRegistered(s)) return refuse('PERSON_ALREADY_REGISTERED', `${s.personId} is already registered.`, { personId: s.personId });
  return ok([
    {
      type: 'PersonRegistered',
      personId: c.personId,
      name: c.name.trim(),
      contact: c.contact.trim(),
      unit: c.unit.trim(),
      identities,
      by: by.value,
      at: c.at,
    },
  ]);
}

function changeIdentities(c: ChangePersonIdentities, s: PersonState): Result<PersonEvent[], PersonError> {
  const v = new ValidationIssues();
  const identities = checkIdentities(v, c.identities);
  text(v, 'reason', c.reason);
  if (!v.empty) return err(validationFailed(c.type, v.list));
  const by = authority(c.by, 'change the identities that act for a person');
  if (!by.ok) return by;
  const known = registered(s);
  if (!known.ok) return known;
  const sod = notThePerson(s, c.by, 'change the identities that act for them');
  if (!sod.ok) return sod;
  return ok([{ type: 'PersonIdentitiesChanged', identities, reason: c.reason, by: by.value, at: c.at }]);
}

function appoint(c: AppointRole, s: PersonState): Result<PersonEvent[], PersonError> {
  const v = new ValidationIssues();
  if (typeof c.appointmentId !== 'string' || !APPOINTMENT_ID.test(c.appointmentId))
    v.add('appointmentId', 'must be an id: letters, digits, ".", "_", ":" or "-"');
  if (!isAimsRole(c.role)) v.add('role', 'must be an AIMS role');
  else if (MACHINE_ROLES.includes(c.role)) v.add('role', `${c.role} is a pipeline's role (a machine identity); nobody is appointed to it`);
  const covers = checkCoverage(v, c.covers);
  v.timestamp('from', c.from);
  if (v.optionalTimestamp('until', c.until) && isIsoTimestamp(c.until)) {
    if (isIsoTimestamp(c.from) && !isBefore(c.from, c.until)) v.add('until', 'must be after from');
    else if (!isBefore(c.at, c.until)) v.add('until', 'must be in the future: an appointment that has already ended appoints nobody');
  }
  text(v, 'responsibilities', c.responsibilities);
  if (!v.empty) return err(validationFailed(c.type, v.list));
  const by = authority(c.by, 'appoint someone to a role');
  if (!by.ok) return by;
  const known = registered(s);
  if (!known.ok) return known;
  const sod = notThePerson(s, c.by, `appoint them to ${c.role}`);
  if (!sod.ok) return sod;
  if (s.appointments.some((a) => a.appointmentId === c.appointmentId))
    return refuse('DUPLICATE_ID', `An appointment ${c.appointmentId} already exists.`, { id: c.appointmentId });
  return ok([
    {
      type: 'RoleAppointed',
      appointmentId: c.appointmentId,
      role: c.role,
      covers,
      // Canonical instants (UTC, milliseconds), so they compare as text in read models too.
      from: new Date(c.from).toISOString(),
      until: isIsoTimestamp(c.until) ? new Date(c.until).toISOString() : null,
      responsibilities: c.responsibilities,
      by: by.value,
      at: c.at,
    },
  ]);
}

function revoke(c: RevokeAppointment, s: PersonState): Result<PersonEvent[], PersonError> {
  const v = new ValidationIssues();
  v.text('appointmentId', c.appointmentId);
  text(v, 'reason', c.reason);
  if (!v.empty) return err(validationFailed(c.type, v.list));
  const by = authority(c.by, 'revoke an appointment');
  if (!by.ok) return by;
  const known = registered(s);
  if (!known.ok) return known;
  const a = s.appointments.find((x) => x.appointmentId === c.appointmentId);
  if (!a) return refuse('APPOINTMENT_UNKNOWN', `${s.personId} has no appointment ${c.appointmentId}.`, { appointmentId: c.appointmentId });
  if (a.status !== 'active')
    return refuse('APPOINTMENT_CLOSED', `Appointment ${c.appointmentId} is already ${a.status}.`, {
      appointmentId: c.appointmentId,
      status: a.status,
    });
  return ok([{ type: 'AppointmentRevoked', appointmentId: a.appointmentId, role: a.role, reason: c.reason, by: by.value, at: c.at }]);
}

function leave(c: RecordPersonLeft, s: PersonState): Result<PersonEvent[], PersonError> {
  const v = new ValidationIssues();
  text(v, 'reason', c.reason);
  if (!v.empty) return err(validationFailed(c.type, v.list));
  const by = authority(c.by, 'record that a person left');
  if (!by.ok) return by;
  const known = registered(s);
  if (!known.ok) return known;
  const ended: PersonEvent[] = s.appointments
    .filter((a) => a.status === 'active')
    .map((a) => ({ type: 'AppointmentEnded', appointmentId: a.appointmentId, role: a.role, cause: 'person_left', by: by.value, at: c.at }));
  return ok([{ type: 'PersonLeft', reason: c.reason, by: by.value, at: c.at }, ...ended]);
}

function recordCompetence(c: RecordCompetence, s: PersonState): Result<PersonEvent[], PersonError> {
  const expiresAt = c.expiresAt ?? null;
  const issues = competenceRecordIssues({ ...c, expiresAt, approvedBy: null });
  if (issues.length > 0) return err(validationFailed(c.type, issues));
  const by = authority(c.by, "record a person's competence");
  if (!by.ok) return by;
  const known = registered(s);
  if (!known.ok) return known;
  const sod = notThePerson(s, c.by, 'approve their competence record');
  if (!sod.ok) return sod;
  if ((s.competence ?? []).some((r) => r.recordId === c.recordId))
    return refuse('DUPLICATE_ID', `A competence record ${c.recordId} already exists.`, { id: c.recordId });
  const recorded: CompetenceRecorded = {
    type: 'CompetenceRecorded',
    recordId: c.recordId,
    competence: c.competence,
    kind: c.kind,
    obtainedAt: new Date(c.obtainedAt).toISOString(),
    expiresAt: isIsoTimestamp(expiresAt) ? new Date(expiresAt).toISOString() : null,
    evidenceRef: c.evidenceRef,
    by: by.value,
    at: c.at,
  };
  // A record that shows the competence again closes the training action its lapse opened.
  return ok([recorded, ...trainingActionsClosedBy(s, recorded)]);
}

function end(c: EndAppointment, s: PersonState): Result<PersonEvent[], PersonError> {
  const a = s.appointments.find((x) => x.appointmentId === c.appointmentId);
  if (!a) return refuse('APPOINTMENT_UNKNOWN', `${s.personId} has no appointment ${c.appointmentId}.`, { appointmentId: c.appointmentId });
  if (a.status !== 'active')
    return refuse('APPOINTMENT_CLOSED', `Appointment ${c.appointmentId} is already ${a.status}.`, {
      appointmentId: c.appointmentId,
      status: a.status,
    });
  if (a.until === null || !isAtOrAfter(c.at, a.until))
    return refuse('APPOINTMENT_NOT_DUE', `Appointment ${c.appointmentId} runs until ${a.until ?? 'revoked'}.`, {
      appointmentId: c.appointmentId,
    });
  return ok([
    { type: 'AppointmentEnded', appointmentId: a.appointmentId, role: a.role, cause: 'until_reached', by: PERSON_SYSTEM_ACTOR, at: c.at },
  ]);
}

export function decide(command: PersonCommand, state: PersonState): Result<PersonEvent[], PersonError> {
  if (command === null || typeof command !== 'object') return refuse('UNKNOWN_COMMAND', 'A command is an object with a type.');
  switch (command.type) {
    case 'RegisterPerson':
      return register(command, state);
    case 'ChangePersonIdentities':
      return changeIdentities(command, state);
    case 'AppointRole':
      return appoint(command, state);
    case 'RevokeAppointment':
      return revoke(command, state);
    case 'RecordPersonLeft':
      return leave(command, state);
    case 'EndAppointment':
      return end(command, state);
    case 'RecordCompetence':
      return recordCompetence(command, state);
    case 'RemindCompetenceExpiry':
    case 'LapseCompetence':
      return decideCompetenceTimer(command, state);
    default:
      return refuse('UNKNOWN_COMMAND', `${String((command as { type: unknown }).type)} is not a person command.`);
  }
}
