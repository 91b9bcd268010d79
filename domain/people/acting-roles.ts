/**
 * The roles a request acts with (issue 16 item 1): what its credential allows ∩ what the person behind the
 * credential is appointed to at that instant, and which appointment grants each role. Pure: the caller
 * passes the person's state (folded from their own stream) and the instant.
 *
 * An appointment counts at instant `t` when, at `t`:
 * - it has started: `t` ≥ its `from`, and ≥ the instant it was recorded (a back-dated appointment does not
 *   authorise acts taken before anyone appointed the person);
 * - it has not run out: `t` < its `until` (the instant `until` itself no longer counts);
 * - it was not revoked or ended at or before `t`, and the person had not left at or before `t`;
 * - it covers the request's subject when one is named (the whole AIMS, the AI system, or the unit); a
 *   request whose subject is not known is judged by role alone.
 *
 * Machine roles (`ci`: pipelines) are not appointed; a credential keeps them whether or not a person stands
 * behind it. Every other role needs an appointment: a credential with no person acts with no human role.
 */
import { normaliseIdentity } from '../shared/actor-identity';
import { isBefore } from '../shared/iso-time';
import type { AimsRole } from '../shared/roles';
import { MACHINE_ROLES, type Appointment, type PersonState } from './model';

/** Why a role the credential allows does not count at the instant. */
export type RoleRefusalReason =
  'no_person' | 'not_appointed' | 'not_started' | 'expired' | 'revoked' | 'ended' | 'person_left' | 'not_covered';

export type RoleGrant = { role: AimsRole; appointmentId: string | null };
export type RoleRefusal = { role: AimsRole; reason: RoleRefusalReason; appointmentId: string | null };

export type ActingRoles = {
  personId: string | null;
  /** The roles the request acts with, in the credential's order. */
  roles: AimsRole[];
  /** Which appointment grants each of them (null: a machine role, held without one). */
  grants: RoleGrant[];
  /** The credential's roles that do not count, each with why. */
  refused: RoleRefusal[];
};

/**
 * What a request is about, when known: an appointment scoped to other systems or units does not cover it.
 * `systemIds`: every AI system a request concerns (a nonconformity's task may name several); an appointment
 * scoped to systems covers it only when it names each of them.
 */
export type RequestSubject = { systemId?: string | null; systemIds?: readonly string[]; unit?: string | null };

/** The AI systems a subject names (its `systemId` and `systemIds`), without repeats. */
function subjectSystems(subject: RequestSubject): string[] {
  const ids = [...(subject.systemIds ?? []), ...(typeof subject.systemId === 'string' ? [subject.systemId] : [])];
  return [...new Set(ids)];
}

const t = (iso: string): number => Date.parse(iso);

/** Why the appointment does not count at `at` for `subject`, or null when it does. */
export function appointmentProblem(
  a: Appointment,
  person: PersonState,
  at: string,
  subject: RequestSubject = {},
): RoleRefusalReason | null {
  if (person.leftAt !== null && t(person.leftAt) <= t(at)) return 'person_left';
  if (a.status === 'revoked' && a.endedAt !== null && t(a.endedAt) <= t(at)) return 'revoked';
  // Run out: whether or not the timer has recorded AppointmentEnded yet, the reason is its term.
  if (a.until !== null && t(a.until) <= t(at)) return 'expired';
  if (a.endedAt !== null && t(a.endedAt) <= t(at)) return 'ended';
  if (isBefore(at, a.from) || isBefore(at, a.appointedAt)) return 'not_started';
  if (!covers(a, subject)) return 'not_covered';
  return null;
}

function covers(a: Appointment, subject: RequestSubject): boolean {
  if (a.covers.wholeAims) return true;
  const systems = subjectSystems(subject);
  const unit = typeof subject.unit === 'string' ? subject.unit : null;
  if (systems.length === 0 && unit === null) return true;
  if (unit !== null && a.covers.units.includes(unit)) return true;
  return systems.length > 0 && systems.every((id) => a.covers.systemIds.includes(id));
}

/** The appointments that give `role` at `at` (whole-AIMS ones first, then in the order they were made). */
export function appointmentsInForce(person: PersonState, role: AimsRole, at: string, subject: RequestSubject = {}): Appointment[] {
  return person.appointments
    .filter((a) => a.role === role && appointmentProblem(a, person, at, subject) === null)
    .sort((x, y) => Number(y.covers.wholeAims) - Number(x.covers.wholeAims));
}

/**
 * The credential's roles narrowed to the person's appointments at `at`. `person` is null when no person is
 * registered for the credential's identity.
 */
export function actingRoles(input: {
  credentialRoles: readonly AimsRole[];
  person: PersonState | null;
  at: string;
  subject?: RequestSubject;
}): ActingRoles {
  const { credentialRoles, person, at, subject = {} } = input;
  const roles: AimsRole[] = [];
  const grants: RoleGrant[] = [];
  const refused: RoleRefusal[] = [];
  for (const role of [...new Set(credentialRoles)]) {
    if (MACHINE_ROLES.includes(role)) {
      roles.push(role);
      grants.push({ role, appointmentId: null });
      continue;
    }
    if (person === null) {
      refused.push({ role, reason: 'no_person', appointmentId: null });
      continue;
    }
    const inForce = appointmentsInForce(person, role, at, subject)[0];
    if (inForce) {
      roles.push(role);
      grants.push({ role, appointmentId: inForce.appointmentId });
      continue;
    }
    // The latest appointment to the role says why it does not count; none at all: not appointed.
    const last = [...person.appointments].reverse().find((a) => a.role === role);
    refused.push(
      last
        ? { role, reason: appointmentProblem(last, person, at, subject) ?? 'not_appointed', appointmentId: last.appointmentId }
        : { role, reason: person.leftAt !== null && t(person.leftAt) <= t(at) ? 'person_left' : 'not_appointed', appointmentId: null },
    );
  }
  return { personId: person?.personId ?? null, roles, grants, refused };
}

/** Words for a refusal, to follow "<person> cannot act as <role>: ". */
export function describeRefusal(r: RoleRefusal): string {
  const which = r.appointmentId === null ? '' : ` (appointment ${r.appointmentId})`;
  switch (r.reason) {
    case 'no_person':
      return 'no person is registered for this credential';
    case 'not_appointed':
      return `they are not appointed to ${r.role}`;
    case 'not_started':
      return `their appointment to ${r.role} has not started${which}`;
    case 'expired':
      return `their appointment to ${r.role} has run out${which}`;
    case 'revoked':
      return `their appointment to ${r.role} was revoked${which}`;
    case 'ended':
      return `their appointment to ${r.role} has ended${which}`;
    case 'person_left':
      return 'they have left the organisation';
    case 'not_covered':
      return `their appointment to ${r.role} does not cover this subject${which}`;
  }
}

/**
 * The person an identity acts for: the one whose identities include it (normalised). Null when nobody's
 * do, or when more than one person claims it (the register must not be ambiguous; the caller refuses).
 */
export function personActingFor(identity: string, people: readonly PersonState[]): PersonState | null {
  const id = normaliseIdentity(identity);
  const found = people.filter((p) => p.identities.includes(id));
  return found.length === 1 ? (found[0] ?? null) : null;
}
