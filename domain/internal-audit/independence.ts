/**
 * Independence from appointments (9.2.1, "objectivity and impartiality"; 5.3): an auditor appointed to an
 * area — as the people register records it — may not audit it. The register's appointments are read by the
 * engine (the API when a plan is decided, an activity when a sample or finding is), never taken from the
 * caller, and handed to the decider as `AuditorAppointment`s; the decider names the appointment in its
 * AUDITOR_NOT_INDEPENDENT refusal.
 *
 * How an appointment maps to audit areas: one covering the whole AIMS covers every area; one naming AI
 * systems covers those `ai_system` areas; one naming organisational units covers the `process` areas of
 * the same id (a unit runs its processes under its own name). Appointments to audit (internal_auditor,
 * auditor) are what makes someone an auditor, not a responsibility for an area, so they never conflict.
 * Clause and control areas are covered only by a whole-AIMS appointment.
 */
import { appointmentProblem } from '../people/acting-roles';
import type { PersonState } from '../people/model';
import type { AimsRole } from '../shared/roles';
import { areaKey, type AuditArea, type AuditorAppointment } from './model';

/** A conflict: the auditor, the area, and what makes them responsible for it. */
export type AreaConflict = { auditorId: string; area: string; appointmentId?: string; role?: AimsRole };

/** The roles that make someone an auditor: holding them is no responsibility for what is audited. */
export const AUDITING_ROLES: readonly AimsRole[] = ['internal_auditor', 'auditor'];

export function appointmentCoversArea(a: Pick<AuditorAppointment, 'role' | 'covers'>, area: AuditArea): boolean {
  if (AUDITING_ROLES.includes(a.role)) return false;
  if (a.covers.wholeAims) return true;
  if (area.kind === 'ai_system') return a.covers.systemIds.includes(area.id);
  if (area.kind === 'process') return a.covers.units.includes(area.id);
  return false;
}

/** The person's appointments in force at `at` (pure: the caller folds the person's stream). */
export function auditorAppointmentsOf(person: PersonState, at: string): AuditorAppointment[] {
  return person.appointments
    .filter((a) => appointmentProblem(a, person, at) === null)
    .map((a) => ({ personId: person.personId, appointmentId: a.appointmentId, role: a.role, covers: a.covers }));
}

/** The (auditor, area) pairs among `auditors` × `areas` an appointment makes dependent, first appointment each. */
export function appointmentConflicts(
  areas: readonly AuditArea[],
  auditors: readonly string[],
  appointments: readonly AuditorAppointment[] | undefined,
): AreaConflict[] {
  const conflicts: AreaConflict[] = [];
  if (appointments === undefined) return conflicts;
  for (const auditorId of auditors)
    for (const area of areas) {
      const a = appointments.find((x) => x.personId === auditorId && appointmentCoversArea(x, area));
      if (a !== undefined) conflicts.push({ auditorId, area: areaKey(area), appointmentId: a.appointmentId, role: a.role });
    }
  return conflicts;
}
