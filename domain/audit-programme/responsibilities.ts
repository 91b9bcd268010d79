/**
 * Who is responsible for each area of an audit programme (9.2.2 "responsibilities"; 5.3), resolved against the
 * people register rather than taken on the drafter's word alone: the people the programme declares for an
 * area, and everyone whose appointment in force covers it (internal-audit/independence.ts says which
 * appointment covers which area), each naming the appointment. A programmed audit's lead auditor may not be
 * one of them for any area of that audit (AUDITOR_NOT_INDEPENDENT, naming the appointment when one is why),
 * so the programme never schedules an audit its own lead would have to refuse.
 */
import { appointmentCoversArea, type AreaConflict } from '../internal-audit/independence';
import { areaKey, type AreaResponsibility, type AuditArea, type AuditorAppointment } from '../internal-audit/model';
import type { AimsRole } from '../shared/roles';

/** One area's responsible people: declared by the programme, appointed in the register, or both. */
export type ResolvedResponsibility = {
  area: AuditArea;
  personIds: string[];
  /** The register's appointments that make someone responsible (none for a person only declared). */
  appointments: Array<{ personId: string; appointmentId: string; role: AimsRole }>;
  /** The people only the programme names (no appointment covers them for this area). */
  declaredOnly: string[];
};

/** Each area's responsible people, from the declared responsibilities and the appointments in force. */
export function resolveResponsibilities(
  areas: readonly AuditArea[],
  declared: readonly AreaResponsibility[],
  appointments: readonly AuditorAppointment[],
): ResolvedResponsibility[] {
  const byKey = new Map<string, AuditArea>();
  for (const area of [...areas, ...declared.map((d) => d.area)]) if (!byKey.has(areaKey(area))) byKey.set(areaKey(area), area);
  return [...byKey.values()].map((area) => {
    const covering = appointments
      .filter((a) => appointmentCoversArea(a, area))
      .map((a) => ({ personId: a.personId, appointmentId: a.appointmentId, role: a.role }));
    const named = declared.filter((d) => areaKey(d.area) === areaKey(area)).flatMap((d) => d.personIds);
    const appointed = covering.map((a) => a.personId);
    return {
      area,
      personIds: [...new Set([...named, ...appointed])],
      appointments: covering,
      declaredOnly: [...new Set(named.filter((p) => !appointed.includes(p)))],
    };
  });
}

/** The programmed audits whose lead auditor is responsible for one of the audit's areas (first reason each). */
export function programmeIndependenceConflicts(
  audits: ReadonlyArray<{ auditId: string; areas: AuditArea[]; leadAuditor: string }>,
  declared: readonly AreaResponsibility[],
  appointments: readonly AuditorAppointment[],
): Array<AreaConflict & { auditId: string }> {
  const conflicts: Array<AreaConflict & { auditId: string }> = [];
  for (const audit of audits)
    for (const area of audit.areas) {
      const appointment = appointments.find((a) => a.personId === audit.leadAuditor && appointmentCoversArea(a, area));
      if (appointment !== undefined) {
        conflicts.push({
          auditId: audit.auditId,
          auditorId: audit.leadAuditor,
          area: areaKey(area),
          appointmentId: appointment.appointmentId,
          role: appointment.role,
        });
        continue;
      }
      const named = declared.some((d) => areaKey(d.area) === areaKey(area) && d.personIds.includes(audit.leadAuditor));
      if (named) conflicts.push({ auditId: audit.auditId, auditorId: audit.leadAuditor, area: areaKey(area) });
    }
  return conflicts;
}

/**
 * The responsibilities an audit of the programme inherits for its scope: those the audit's plan declares,
 * then those of the programme for the same areas (declared, and resolved from the register when drafted), so
 * the audit's independence check and its improvement owners follow the programme (9.2.2 → 9.2.1).
 */
export function inheritedResponsibilities(
  scope: readonly AuditArea[],
  planned: readonly AreaResponsibility[],
  programme: { responsibilities: AreaResponsibility[]; resolvedResponsibilities?: { responsibilities: ResolvedResponsibility[] } },
): AreaResponsibility[] {
  const inScope = new Set(scope.map(areaKey));
  const fromProgramme = [...programme.responsibilities, ...(programme.resolvedResponsibilities?.responsibilities ?? [])].filter(
    (r) => inScope.has(areaKey(r.area)) && r.personIds.length > 0,
  );
  const merged = new Map<string, AreaResponsibility>();
  for (const r of [...planned, ...fromProgramme]) {
    const key = areaKey(r.area);
    const known = merged.get(key);
    merged.set(key, { area: known?.area ?? r.area, personIds: [...new Set([...(known?.personIds ?? []), ...r.personIds])] });
  }
  return [...merged.values()];
}
