/**
 * The organisation's competence policy (7.2), on the people policy's stream (`people-policy-organisation`,
 * next to the appointment switch: one stream holds every rule about who may act, and the API reads it once
 * per request): what each role requires (a validator needs "model validation" obtained within 24 months),
 * and, per role, a switch that makes the engine refuse a step taken in that role by someone whose records
 * do not show it now (COMPETENCE_MISSING, competence.ts). Set by the AIMS owner or top management, each
 * change with a reason, as evidence.
 */
import { domainError, type DomainError } from '../shared/domain-error';
import type { JsonObject } from '../shared/json';
import { err, ok, type Result } from '../shared/result';
import { actingAs, actorProblem, AIMS_ROLES, isAimsRole, type Actor, type ActorRef, type AimsRole } from '../shared/roles';
import { ValidationIssues, validationFailed } from '../shared/validation';
import { competenceGaps, type CompetenceGap, type CompetenceRecord, type CompetenceRequirement } from './competence';
import { addMilliseconds } from '../shared/iso-time';
import { APPOINTING_ROLES, MACHINE_ROLES } from './model';

/** The longest maximum age a requirement may set (50 years: beyond it, say null: any age). */
export const MAX_WITHIN_MONTHS = 600;
const MAX_COMPETENCE = 200;
const MAX_REASON = 4000;

/** What the competence policy adds to the people policy's state (absent in runs recorded before it). */
export type CompetencePolicyState = {
  competenceRequirements?: CompetenceRequirement[];
  /** Roles whose steps are refused without current competence. */
  competenceEnforcedRoles?: AimsRole[];
};

export type SetCompetenceRequirement = {
  type: 'SetCompetenceRequirement';
  role: AimsRole;
  competence: string;
  withinMonths: number | null;
  reason: string;
  by: Actor;
  at: string;
};
export type RemoveCompetenceRequirement = {
  type: 'RemoveCompetenceRequirement';
  role: AimsRole;
  competence: string;
  reason: string;
  by: Actor;
  at: string;
};
export type SetCompetenceEnforcement = {
  type: 'SetCompetenceEnforcement';
  role: AimsRole;
  enforced: boolean;
  reason: string;
  by: Actor;
  at: string;
};
export type CompetencePolicyCommand = SetCompetenceRequirement | RemoveCompetenceRequirement | SetCompetenceEnforcement;

type Base = { by: ActorRef; at: string; reason: string };
export type CompetenceRequirementSet = Base & {
  type: 'CompetenceRequirementSet';
  role: AimsRole;
  competence: string;
  withinMonths: number | null;
};
export type CompetenceRequirementRemoved = Base & { type: 'CompetenceRequirementRemoved'; role: AimsRole; competence: string };
export type CompetenceEnforcementSet = Base & { type: 'CompetenceEnforcementSet'; role: AimsRole; enforced: boolean };
export type CompetencePolicyEvent = CompetenceRequirementSet | CompetenceRequirementRemoved | CompetenceEnforcementSet;

export const COMPETENCE_POLICY_COMMANDS: readonly CompetencePolicyCommand['type'][] = [
  'SetCompetenceRequirement',
  'RemoveCompetenceRequirement',
  'SetCompetenceEnforcement',
];

export const COMPETENCE_POLICY_ISO_42001_REFERENCES: Record<CompetencePolicyEvent['type'], string[]> = {
  CompetenceRequirementSet: ['7.2', 'A.4.6'],
  CompetenceRequirementRemoved: ['7.2', 'A.4.6'],
  CompetenceEnforcementSet: ['5.1', '7.2', 'A.3.2', 'A.4.6'],
};

const refuse = (code: string, message: string, details: JsonObject = {}): Result<never, DomainError> =>
  err(domainError(code, message, details));

export const requirementsOf = (s: CompetencePolicyState): CompetenceRequirement[] => s.competenceRequirements ?? [];
export const enforcedRolesOf = (s: CompetencePolicyState): AimsRole[] => s.competenceEnforcedRoles ?? [];

export function decideCompetencePolicy(c: CompetencePolicyCommand, s: CompetencePolicyState): Result<CompetencePolicyEvent[], DomainError> {
  const v = new ValidationIssues();
  if (!isAimsRole(c.role)) v.add('role', `must be one of ${AIMS_ROLES.join(', ')}`);
  else if (MACHINE_ROLES.includes(c.role)) v.add('role', `${c.role} is a machine identity's role: it has no competence to show`);
  if (c.type !== 'SetCompetenceEnforcement' && v.text('competence', c.competence) && c.competence.length > MAX_COMPETENCE)
    v.add('competence', `must be at most ${MAX_COMPETENCE} characters`);
  if (c.type === 'SetCompetenceRequirement' && c.withinMonths !== null) {
    if (!Number.isInteger(c.withinMonths) || c.withinMonths < 1 || c.withinMonths > MAX_WITHIN_MONTHS)
      v.add('withinMonths', `must be a whole number of months from 1 to ${MAX_WITHIN_MONTHS}, or null (any age)`);
  }
  if (c.type === 'SetCompetenceEnforcement') v.boolean('enforced', c.enforced);
  if (v.text('reason', c.reason) && c.reason.length > MAX_REASON) v.add('reason', `must be at most ${MAX_REASON} characters`);
  if (!v.empty) return err(validationFailed(c.type, v.list));
  const problem = actorProblem(c.by);
  if (problem) return refuse('INVALID_ACTOR', problem);
  if (!APPOINTING_ROLES.some((r) => c.by.roles.includes(r)))
    return refuse(
      'MISSING_ROLE',
      `${c.by.id} cannot change the competence policy: it needs one of the roles ${APPOINTING_ROLES.join(', ')}.`,
      {
        actorId: c.by.id,
        actorRoles: [...c.by.roles],
        requiredRoles: [...APPOINTING_ROLES],
      },
    );
  const by = actingAs(c.by, APPOINTING_ROLES);
  const held = 'competence' in c ? requirementsOf(s).find((r) => r.role === c.role && r.competence === c.competence) : undefined;
  switch (c.type) {
    case 'SetCompetenceRequirement':
      if (held !== undefined && held.withinMonths === c.withinMonths)
        return refuse('COMPETENCE_REQUIREMENT_UNCHANGED', `${c.role} already requires ${c.competence} as set.`, {
          role: c.role,
          competence: c.competence,
        });
      return ok([
        {
          type: 'CompetenceRequirementSet',
          role: c.role,
          competence: c.competence,
          withinMonths: c.withinMonths,
          reason: c.reason,
          by,
          at: c.at,
        },
      ]);
    case 'RemoveCompetenceRequirement':
      if (held === undefined)
        return refuse('COMPETENCE_REQUIREMENT_UNKNOWN', `${c.role} has no requirement ${c.competence}.`, {
          role: c.role,
          competence: c.competence,
        });
      return ok([{ type: 'CompetenceRequirementRemoved', role: c.role, competence: c.competence, reason: c.reason, by, at: c.at }]);
    case 'SetCompetenceEnforcement':
      if (enforcedRolesOf(s).includes(c.role) === c.enforced)
        return refuse('COMPETENCE_ENFORCEMENT_UNCHANGED', `Competence is already ${c.enforced ? '' : 'not '}enforced for ${c.role}.`, {
          role: c.role,
          enforced: c.enforced,
        });
      return ok([{ type: 'CompetenceEnforcementSet', role: c.role, enforced: c.enforced, reason: c.reason, by, at: c.at }]);
  }
}

export function evolveCompetencePolicy<S extends CompetencePolicyState>(s: S, e: CompetencePolicyEvent): S {
  const requirements = requirementsOf(s).filter((r) => !(r.role === e.role && 'competence' in e && r.competence === e.competence));
  switch (e.type) {
    case 'CompetenceRequirementSet':
      return { ...s, competenceRequirements: [...requirements, { role: e.role, competence: e.competence, withinMonths: e.withinMonths }] };
    case 'CompetenceRequirementRemoved':
      return { ...s, competenceRequirements: requirements };
    case 'CompetenceEnforcementSet': {
      const others = enforcedRolesOf(s).filter((r) => r !== e.role);
      return { ...s, competenceEnforcedRoles: e.enforced ? [...others, e.role].sort() : others };
    }
    default:
      return s;
  }
}

/**
 * The roles of `roles` a person may not act in now, each with COMPETENCE_MISSING (what is missing):
 * only the roles whose competence is enforced; a person unknown to the register has no records.
 */
export function rolesLackingCompetence(
  s: CompetencePolicyState,
  personId: string | null,
  roles: readonly AimsRole[],
  records: readonly CompetenceRecord[],
  at: string,
): Array<{ role: AimsRole; gaps: ReturnType<typeof competenceGaps> }> {
  const enforced = enforcedRolesOf(s);
  return roles
    .filter((role) => enforced.includes(role))
    .map((role) => ({ role, gaps: competenceGaps(requirementsOf(s), [role], personId === null ? [] : records, at) }))
    .filter((x) => x.gaps.length > 0);
}

const MONTH_MS = (365.25 / 12) * 24 * 3_600_000;

/** What a gap means in words: never recorded, or when the record stopped counting (expired on, too old since). */
function describeGap(g: CompetenceGap, req: CompetenceRequirement | undefined, record: CompetenceRecord | undefined): string {
  if (g.reason === 'no_record') return `${g.competence}: never recorded`;
  if (record === undefined) return `${g.competence}: ${g.reason.replace(/_/g, ' ')}`;
  if (g.reason === 'expired') return `${g.competence}: record ${record.recordId} expired on ${record.expiresAt ?? '?'}`;
  if (g.reason === 'too_old' && req?.withinMonths != null)
    return `${g.competence}: record ${record.recordId} (obtained ${record.obtainedAt}) is older than ${req.withinMonths} months since ${addMilliseconds(record.obtainedAt, req.withinMonths * MONTH_MS)}`;
  if (g.reason === 'not_yet_obtained') return `${g.competence}: record ${record.recordId} is obtained only on ${record.obtainedAt}`;
  return `${g.competence}: record ${record.recordId} is not approved`;
}

/**
 * COMPETENCE_MISSING for a step taken as `role` under the policy, naming each requirement not met and why
 * (never recorded; expired on; older than the requirement allows, since when), or null when none is missing
 * or the role's competence is not enforced.
 */
export function competenceRefusal(
  s: CompetencePolicyState,
  personId: string | null,
  actorId: string,
  role: AimsRole,
  records: readonly CompetenceRecord[],
  at: string,
): DomainError | null {
  const lacking = rolesLackingCompetence(s, personId, [role], records, at)[0];
  if (lacking === undefined) return null;
  const missing = lacking.gaps.map((g) => {
    const requirement = requirementsOf(s).find((r) => r.role === role && r.competence === g.competence);
    const record = records.find((r) => r.recordId === g.recordId);
    return {
      competence: g.competence,
      withinMonths: requirement?.withinMonths ?? null,
      reason: g.reason,
      recordId: g.recordId,
      expiresAt: record?.expiresAt ?? null,
      obtainedAt: record?.obtainedAt ?? null,
      what: describeGap(g, requirement, record),
    };
  });
  const who = personId === null ? `${actorId} (no registered person)` : `${actorId} (person ${personId})`;
  return domainError(
    'COMPETENCE_MISSING',
    `${who} cannot act as ${role} without current competence: ${missing.map((m) => m.what).join('; ')}.`,
    {
      personId,
      role,
      missing,
    },
  );
}
