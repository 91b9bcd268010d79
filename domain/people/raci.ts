/**
 * A RACI view per process (5.3, A.3.2), generated from the authority rules each process's domain keeps
 * (its command role tables, its task roles, its escalation role) — never a hand-written table, so it cannot
 * drift from what the engine enforces.
 *
 * - R (responsible): the roles that may issue the command or decide the task, in the rule's order of
 *   preference (the first one an actor holds is the role recorded).
 * - A (accountable): who answers for a human task that is not decided in time: the role it escalates to
 *   (the AIMS owner); for the people process, the appointing authority. Empty where the rules name nobody.
 * - C and I are not in the rules (notifications name audiences per event, not per step); they are empty.
 *
 * Lifecycle task roles are the organisation's default policy unless a policy is passed in (a tier's or a
 * system's policy can give a task to other roles).
 */
import { COMMAND_ROLES } from '../ai-system/authority';
import { DEFAULT_LIFECYCLE_POLICY, type LifecyclePolicy } from '../ai-system/policy';
import {
  DEVIATION_REQUEST_ROLES,
  LIFECYCLE_POLICY_CATEGORY,
  ORGANISATION_CHANGE_ROLES,
  POLICY_DECISION_ROLES,
} from '../lifecycle-policy/lifecycle-policy';
import { CORRECTIVE_ACTION_ROLES, NONCONFORMITY_COMMAND_ROLES } from '../nonconformity/authority';
import { ACCEPTING_ROLES } from '../risk-criteria/criteria';
import {
  CRITERIA_APPROVAL_ROLES,
  CRITERIA_DRAFT_ROLES,
  CRITERIA_REVIEW_ROLES,
  RISK_CRITERIA_CATEGORY,
} from '../risk-criteria/risk-criteria';
import { ASSESS_ROLES, IDENTIFY_ROLES, PLAN_APPROVAL_ROLES, PLAN_ROLES, RISK_CATEGORY, REVIEW_ROLES } from '../risk/model';
import { ESCALATION_ROLE } from '../shared/human-task';
import { TRAINING_ACTION_ROLES, TRAINING_TASK_KIND } from './competence-timers';
import type { AimsRole } from '../shared/roles';
import {
  SOA_APPROVER_ROLES,
  SOA_ATTESTER_ROLES,
  SOA_CATEGORY,
  SOA_PROPOSER_ROLES,
  SOA_REQUEST_ROLES,
  SOA_REVIEWER_ROLES,
} from '../soa/model';
import { APPOINTING_ROLES, PERSON_CATEGORY } from './model';

export type RaciStepKind = 'command' | 'task';

export type RaciRow = {
  /** The command type or task kind as the engine names it. */
  step: string;
  kind: RaciStepKind;
  responsible: AimsRole[];
  accountable: AimsRole[];
  consulted: AimsRole[];
  informed: AimsRole[];
  /** What the rule adds beyond roles (the owner of an action, segregation of duties), if anything. */
  note: string | null;
};

export type RaciProcess = { process: string; clauses: string[]; rows: RaciRow[] };

const row = (
  step: string,
  kind: RaciStepKind,
  responsible: readonly AimsRole[],
  accountable: readonly AimsRole[],
  note: string | null = null,
): RaciRow => ({
  step,
  kind,
  responsible: [...responsible],
  accountable: [...accountable],
  consulted: [],
  informed: [],
  note,
});

const escalated: readonly AimsRole[] = [ESCALATION_ROLE];
const NEVER_OWN = 'never by whoever authored what it judges (segregation of duties)';

function lifecycle(policy: LifecyclePolicy): RaciProcess {
  const commands = Object.entries(COMMAND_ROLES).map(([step, roles]) => row(step, 'command', roles, []));
  const tasks = Object.entries(policy.taskRoles).map(([kind, roles]) => row(kind, 'task', roles, escalated, NEVER_OWN));
  return { process: 'ai-system', clauses: ['6.1.4', '8.1', '8.2', '8.3', '8.4'], rows: [...commands, ...tasks] };
}

function nonconformity(): RaciProcess {
  const rows = Object.entries(NONCONFORMITY_COMMAND_ROLES).map(([step, roles]) =>
    step === 'CompleteCorrectiveAction'
      ? row(
          step,
          'command',
          CORRECTIVE_ACTION_ROLES,
          escalated,
          "the action's owner, under any of these roles; the AIMS owner once escalated",
        )
      : row(step, 'command', roles, step === 'RecordEffectivenessReview' || step.endsWith('CorrectiveActionPlan') ? escalated : [], null),
  );
  return { process: 'nonconformity', clauses: ['10.2'], rows };
}

function risk(): RaciProcess {
  return {
    process: RISK_CATEGORY,
    clauses: ['6.1.2', '6.1.3', '8.2', '8.3'],
    rows: [
      row('IdentifyRisk', 'command', IDENTIFY_ROLES, []),
      row('AssessRisk', 'command', ASSESS_ROLES, []),
      row('PlanRiskTreatment', 'command', PLAN_ROLES, []),
      row('RecordResidualRisk', 'command', ASSESS_ROLES, []),
      row(
        'CompleteTreatmentAction',
        'command',
        ['aims_owner'],
        escalated,
        "the action's owner, under any role; the AIMS owner may step in",
      ),
      row('risk_assessment_review', 'task', REVIEW_ROLES, escalated, NEVER_OWN),
      row('risk_treatment_plan_approval', 'task', PLAN_APPROVAL_ROLES, escalated, NEVER_OWN),
      row(
        'risk_acceptance',
        'task',
        ACCEPTING_ROLES,
        escalated,
        'the role the risk criteria name for the residual level; the AIMS owner above appetite',
      ),
    ],
  };
}

function riskCriteria(): RaciProcess {
  return {
    process: RISK_CRITERIA_CATEGORY,
    clauses: ['6.1.1', '6.1.2'],
    rows: [
      row('DraftRiskCriteria', 'command', CRITERIA_DRAFT_ROLES, []),
      row('risk_criteria_review', 'task', CRITERIA_REVIEW_ROLES, [], NEVER_OWN),
      row('risk_criteria_approval', 'task', CRITERIA_APPROVAL_ROLES, [], NEVER_OWN),
    ],
  };
}

function lifecyclePolicy(): RaciProcess {
  return {
    process: LIFECYCLE_POLICY_CATEGORY,
    clauses: ['5.2', '8.1'],
    rows: [
      row('ProposeLifecyclePolicyChange (organisation)', 'command', ORGANISATION_CHANGE_ROLES, []),
      row('ProposeLifecyclePolicyChange (system deviation)', 'command', DEVIATION_REQUEST_ROLES, []),
      row('lifecycle_policy_change', 'task', POLICY_DECISION_ROLES, [], NEVER_OWN),
    ],
  };
}

function soa(): RaciProcess {
  return {
    process: SOA_CATEGORY,
    clauses: ['6.1.3'],
    rows: [
      row('ProposeSoaRevision', 'command', SOA_PROPOSER_ROLES, []),
      row('RequestSoaRevision', 'command', SOA_REQUEST_ROLES, []),
      row('AttestControlStatus', 'command', SOA_ATTESTER_ROLES, [], "also the control's owner named in the SoA in force"),
      row('soa_revision_review', 'task', SOA_REVIEWER_ROLES, [], NEVER_OWN),
      row('soa_revision_approval', 'task', SOA_APPROVER_ROLES, [], NEVER_OWN),
    ],
  };
}

function people(): RaciProcess {
  const never = 'never by the appointee nor by a credential acting for them';
  return {
    process: PERSON_CATEGORY,
    clauses: ['5.3', '7.1'],
    rows: [
      row('RegisterPerson', 'command', APPOINTING_ROLES, APPOINTING_ROLES),
      row('ChangePersonIdentities', 'command', APPOINTING_ROLES, APPOINTING_ROLES, never),
      row('AppointRole', 'command', APPOINTING_ROLES, APPOINTING_ROLES, never),
      row('RevokeAppointment', 'command', APPOINTING_ROLES, APPOINTING_ROLES),
      row('RecordPersonLeft', 'command', APPOINTING_ROLES, APPOINTING_ROLES),
      row('RecordCompetence', 'command', APPOINTING_ROLES, APPOINTING_ROLES, 'approved by whoever records it: never the person'),
      row(TRAINING_TASK_KIND, 'task', TRAINING_ACTION_ROLES, TRAINING_ACTION_ROLES, 'closed by a current competence record'),
      row('SetCompetenceRequirement', 'command', APPOINTING_ROLES, APPOINTING_ROLES),
      row('SetCompetenceEnforcement', 'command', APPOINTING_ROLES, APPOINTING_ROLES),
    ],
  };
}

/** Every process's RACI, in a stable order. */
export function raciView(policy: LifecyclePolicy = DEFAULT_LIFECYCLE_POLICY): RaciProcess[] {
  return [lifecycle(policy), nonconformity(), risk(), riskCriteria(), lifecyclePolicy(), soa(), people()];
}

/** Per role, the steps it may take (R) and answers for (A), across the processes: the RACI read by role. */
export function stepsByRole(view: readonly RaciProcess[]): Record<string, { responsible: string[]; accountable: string[] }> {
  const out: Record<string, { responsible: string[]; accountable: string[] }> = {};
  for (const p of view) {
    for (const r of p.rows) {
      for (const role of r.responsible) (out[role] ??= { responsible: [], accountable: [] }).responsible.push(`${p.process}:${r.step}`);
      for (const role of r.accountable) (out[role] ??= { responsible: [], accountable: [] }).accountable.push(`${p.process}:${r.step}`);
    }
  }
  return out;
}
