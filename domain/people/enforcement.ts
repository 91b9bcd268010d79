/**
 * The organisation's switch that makes role appointments count (issue 16): while it is off (the default,
 * and the state before anyone set it), a credential acts with every role it holds, as it always has; while
 * it is on, the API narrows each request's roles to the appointments of the person behind the credential at
 * that moment (acting-roles.ts). Set by the AIMS owner or top management, with a reason, as evidence of its
 * own: stream and workflow `people-policy-organisation`.
 */
import { domainError, type DomainError } from '../shared/domain-error';
import type { JsonObject } from '../shared/json';
import { err, ok, type Result } from '../shared/result';
import { actingAs, actorProblem, type Actor, type ActorRef } from '../shared/roles';
import { ValidationIssues, validationFailed } from '../shared/validation';
import {
  COMPETENCE_POLICY_COMMANDS,
  COMPETENCE_POLICY_ISO_42001_REFERENCES,
  decideCompetencePolicy,
  evolveCompetencePolicy,
  type CompetencePolicyCommand,
  type CompetencePolicyEvent,
  type CompetencePolicyState,
} from './competence-policy';
import { APPOINTING_ROLES } from './model';

export const PEOPLE_POLICY_CATEGORY = 'people-policy';
export const PEOPLE_POLICY_STREAM = `${PEOPLE_POLICY_CATEGORY}-organisation`;
export const PEOPLE_POLICY_WORKFLOW_ID = PEOPLE_POLICY_STREAM;
export const PEOPLE_POLICY_SYSTEM_ACTOR: ActorRef = { id: 'aims:people-policy', role: 'system' };

export type PeoplePolicyState = {
  appointmentsEnforced: boolean;
  version: number;
  changedBy: ActorRef | null;
  changedAt: string | null;
  reason: string | null;
} & CompetencePolicyState;
export const INITIAL_PEOPLE_POLICY: PeoplePolicyState = {
  appointmentsEnforced: false,
  version: 0,
  changedBy: null,
  changedAt: null,
  reason: null,
};

export type SetAppointmentEnforcement = { type: 'SetAppointmentEnforcement'; enforced: boolean; reason: string; by: Actor; at: string };
export type PeoplePolicyCommand = SetAppointmentEnforcement | CompetencePolicyCommand;

export type AppointmentEnforcementSet = { type: 'AppointmentEnforcementSet'; enforced: boolean; reason: string; by: ActorRef; at: string };
export type PeoplePolicyEvent = AppointmentEnforcementSet | CompetencePolicyEvent;

export function decidePeoplePolicy(c: PeoplePolicyCommand, s: PeoplePolicyState): Result<PeoplePolicyEvent[], DomainError> {
  if (c !== null && typeof c === 'object' && (COMPETENCE_POLICY_COMMANDS as readonly string[]).includes(c.type))
    return decideCompetencePolicy(c as CompetencePolicyCommand, s);
  if (c === null || typeof c !== 'object' || c.type !== 'SetAppointmentEnforcement')
    return err(
      domainError('UNKNOWN_COMMAND', `The people policy takes SetAppointmentEnforcement or ${COMPETENCE_POLICY_COMMANDS.join(', ')}.`),
    );
  const v = new ValidationIssues();
  v.boolean('enforced', c.enforced);
  if (v.text('reason', c.reason) && c.reason.length > 4000) v.add('reason', 'must be at most 4000 characters');
  if (!v.empty) return err(validationFailed(c.type, v.list));
  const problem = actorProblem(c.by);
  if (problem) return err(domainError('INVALID_ACTOR', problem));
  if (!APPOINTING_ROLES.some((r) => c.by.roles.includes(r)))
    return err(
      domainError(
        'MISSING_ROLE',
        `${c.by.id} cannot switch appointment enforcement: it needs one of the roles ${APPOINTING_ROLES.join(', ')}.`,
        {
          actorId: c.by.id,
          actorRoles: [...c.by.roles],
          requiredRoles: [...APPOINTING_ROLES],
        },
      ),
    );
  if (c.enforced === s.appointmentsEnforced)
    return err(
      domainError('APPOINTMENT_ENFORCEMENT_UNCHANGED', `Appointments are already ${c.enforced ? 'enforced' : 'not enforced'}.`, {
        enforced: c.enforced,
      }),
    );
  return ok([
    { type: 'AppointmentEnforcementSet', enforced: c.enforced, reason: c.reason, by: actingAs(c.by, APPOINTING_ROLES), at: c.at },
  ]);
}

export function evolvePeoplePolicy(s: PeoplePolicyState, e: PeoplePolicyEvent): PeoplePolicyState {
  if (e.type !== 'AppointmentEnforcementSet') return evolveCompetencePolicy(s, e);
  return { ...s, appointmentsEnforced: e.enforced, version: s.version + 1, changedBy: e.by, changedAt: e.at, reason: e.reason };
}

/** The policy after recorded evidence events (the API reads the stream at request time). */
export function peoplePolicyOf(
  recorded: ReadonlyArray<{ type: string; data: JsonObject }>,
  from: PeoplePolicyState = INITIAL_PEOPLE_POLICY,
): PeoplePolicyState {
  return recorded.reduce((s, r) => evolvePeoplePolicy(s, { type: r.type, ...r.data } as unknown as PeoplePolicyEvent), from);
}

export const PEOPLE_POLICY_ISO_42001_REFERENCES: Record<PeoplePolicyEvent['type'], string[]> = {
  AppointmentEnforcementSet: ['5.1', '5.3', 'A.3.2'],
  ...COMPETENCE_POLICY_ISO_42001_REFERENCES,
};

export function peoplePolicyEventData(e: PeoplePolicyEvent): JsonObject {
  const { type: _type, ...data } = e;
  return data;
}
