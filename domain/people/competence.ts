/**
 * Competence (ISO/IEC 42001 7.2, A.4.6) — groundwork for issue 16 item 2, pure and not yet wired to a
 * workflow or the API: what a role requires (a validator needs "model validation" within 24 months), the
 * records that show a person has it (a course, an assessment or experience, with its date, expiry and
 * evidence reference, approved by someone other than the person), and which requirements a person does not
 * meet at an instant, so a sign-off can be refused with COMPETENCE_MISSING naming what is missing.
 */
import { normaliseIdentity } from '../shared/actor-identity';
import { domainError, type DomainError } from '../shared/domain-error';
import { addMilliseconds, isIsoTimestamp } from '../shared/iso-time';
import type { AimsRole, ActorRef } from '../shared/roles';
import { ValidationIssues, type ValidationIssue } from '../shared/validation';

export const COMPETENCE_KINDS = ['course', 'assessment', 'experience'] as const;
export type CompetenceKind = (typeof COMPETENCE_KINDS)[number];

/** A competence a role needs, and how recent the record showing it must be (null: any age, if unexpired). */
export type CompetenceRequirement = { role: AimsRole; competence: string; withinMonths: number | null };

export type CompetenceRecord = {
  recordId: string;
  competence: string;
  kind: CompetenceKind;
  /** When it was obtained, and when it lapses (null: it does not by itself). */
  obtainedAt: string;
  expiresAt: string | null;
  evidenceRef: string;
  approvedBy: ActorRef | null;
};

export type CompetenceGap = {
  role: AimsRole;
  competence: string;
  reason: 'no_record' | 'not_approved' | 'expired' | 'too_old' | 'not_yet_obtained';
  recordId: string | null;
};

const MONTH_MS = (365.25 / 12) * 24 * 3_600_000;
const t = (iso: string): number => Date.parse(iso);

/** The issues of a record as given (each naming its field); empty when it can be recorded. */
export function competenceRecordIssues(r: Partial<CompetenceRecord>): ValidationIssue[] {
  const v = new ValidationIssues();
  v.text('recordId', r.recordId);
  v.text('competence', r.competence);
  v.oneOf('kind', r.kind, COMPETENCE_KINDS);
  v.timestamp('obtainedAt', r.obtainedAt);
  if (
    v.optionalTimestamp('expiresAt', r.expiresAt) &&
    isIsoTimestamp(r.expiresAt) &&
    isIsoTimestamp(r.obtainedAt) &&
    t(r.expiresAt) <= t(r.obtainedAt)
  )
    v.add('expiresAt', 'must be after obtainedAt');
  v.text('evidenceRef', r.evidenceRef);
  return v.list;
}

/** Who may approve a person's record: anyone but the person (any identity acting for them). */
export function approvalProblem(personIdentities: readonly string[], approver: ActorRef): DomainError | null {
  if (!personIdentities.includes(normaliseIdentity(approver.id))) return null;
  return domainError('SEGREGATION_OF_DUTIES', `${approver.id} acts for the person; someone else must approve their competence record.`, {
    actorId: approver.id,
    conflict: 'acts for the person',
  });
}

/** Why a record does not show the requirement at `at`, or null when it does. */
function recordProblem(r: CompetenceRecord, req: CompetenceRequirement, at: string): CompetenceGap['reason'] | null {
  if (r.approvedBy === null) return 'not_approved';
  if (t(r.obtainedAt) > t(at)) return 'not_yet_obtained';
  if (r.expiresAt !== null && t(r.expiresAt) <= t(at)) return 'expired';
  if (req.withinMonths !== null && t(addMilliseconds(r.obtainedAt, req.withinMonths * MONTH_MS)) <= t(at)) return 'too_old';
  return null;
}

/** The requirements of `roles` a person's records do not meet at `at`, each with why (the latest record's reason). */
export function competenceGaps(
  requirements: readonly CompetenceRequirement[],
  roles: readonly AimsRole[],
  records: readonly CompetenceRecord[],
  at: string,
): CompetenceGap[] {
  const gaps: CompetenceGap[] = [];
  for (const req of requirements.filter((q) => roles.includes(q.role))) {
    const candidates = records.filter((r) => r.competence === req.competence).sort((a, b) => t(b.obtainedAt) - t(a.obtainedAt));
    if (candidates.some((r) => recordProblem(r, req, at) === null)) continue;
    const latest = candidates[0];
    gaps.push(
      latest === undefined
        ? { role: req.role, competence: req.competence, reason: 'no_record', recordId: null }
        : { role: req.role, competence: req.competence, reason: recordProblem(latest, req, at) ?? 'no_record', recordId: latest.recordId },
    );
  }
  return gaps;
}

/** COMPETENCE_MISSING for acting as `role` at `at`, naming what is missing; null when nothing is. */
export function competenceMissing(
  personId: string,
  role: AimsRole,
  requirements: readonly CompetenceRequirement[],
  records: readonly CompetenceRecord[],
  at: string,
): DomainError | null {
  const gaps = competenceGaps(requirements, [role], records, at);
  if (gaps.length === 0) return null;
  return domainError(
    'COMPETENCE_MISSING',
    `${personId} cannot act as ${role}: missing ${gaps.map((g) => `${g.competence} (${g.reason.replace(/_/g, ' ')})`).join(', ')}.`,
    { personId, role, missing: gaps.map((g) => ({ competence: g.competence, reason: g.reason, recordId: g.recordId })) },
  );
}

/** The earliest instant a current record stops showing a requirement: when an expiry reminder falls due. */
export function nextCompetenceLapse(requirements: readonly CompetenceRequirement[], records: readonly CompetenceRecord[]): string | null {
  let best: number | null = null;
  for (const req of requirements) {
    for (const r of records.filter((x) => x.competence === req.competence && x.approvedBy !== null)) {
      const ends = [
        r.expiresAt === null ? null : t(r.expiresAt),
        req.withinMonths === null ? null : t(r.obtainedAt) + req.withinMonths * MONTH_MS,
      ];
      for (const e of ends) if (e !== null && (best === null || e < best)) best = e;
    }
  }
  return best === null ? null : new Date(best).toISOString();
}
