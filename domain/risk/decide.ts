/** The risk's decisions: each command against the risk as it stands gives its events or a refusal. */
import { checkAiPolicies } from '../shared/policy-in-force';
import { ANNEX_A_CONTROL_IDS } from '../catalogue/annex-a-controls';
import { scoreRisk, type RiskCriteriaSnapshot, criteriaContentIssues } from '../risk-criteria/criteria';
import { domainError, type DomainError } from '../shared/domain-error';
import { checkHumanTaskDecision, type HumanTaskOutcome } from '../shared/human-task';
import { addMilliseconds, isDueDate, parseFixedDuration } from '../shared/iso-time';
import type { JsonObject } from '../shared/json';
import { err, ok, type Result } from '../shared/result';
import { actingAs, actorProblem, type ActorRef, type AimsRole } from '../shared/roles';
import { ValidationIssues, validationFailed } from '../shared/validation';
import { systemIdIssue } from '../ai-system/identity';
import {
  ANNEX_C_RISK_SOURCES,
  ASSESS_ROLES,
  DECISION_TIME_MS,
  IDENTIFY_ROLES,
  PLAN_APPROVAL_ROLES,
  PLAN_ROLES,
  REVIEW_ROLES,
  RISK_ID,
  TREATMENT_OPTIONS,
  type Risk,
  type RiskCommand,
  type RiskEvent,
  type RiskSource,
  type RiskState,
  type RiskTaskKind,
  type Score,
  type Scored,
} from './model';
import { requireRoles } from '../shared/require-roles';

const refuse = (code: string, message: string, details: JsonObject = {}): Result<never, DomainError> =>
  err(domainError(code, message, details));

const role = requireRoles;
const wrongStatus = (r: Risk, what: string): Result<never, DomainError> =>
  refuse('RISK_STEP_NOT_EXPECTED', `Risk ${r.riskId} is ${r.status}: it cannot ${what} now.`, { riskId: r.riskId, status: r.status });

function scoreOf(criteria: RiskCriteriaSnapshot, s: Score, field: string, v: ValidationIssues): Scored | null {
  const score = scoreRisk(criteria.content, s?.likelihood, s?.consequence);
  if (score === null) {
    v.add(
      field,
      `must name a likelihood (${criteria.content.likelihood.map((x) => x.id).join(', ')}) and a consequence (${criteria.content.consequence.map((x) => x.id).join(', ')})`,
    );
    return null;
  }
  return { likelihood: s.likelihood, consequence: s.consequence, ...score };
}

function opened(
  r: Risk,
  kind: RiskTaskKind,
  roles: readonly AimsRole[],
  requestedBy: string,
  by: ActorRef,
  at: string,
  subject: JsonObject,
): RiskEvent {
  const taskId = `${r.riskId}-${kind.replace(/_/g, '-')}-${r.assessment}-${r.tasks.filter((t) => t.kind === kind && t.subject.assessment === r.assessment).length + 1}`;
  return {
    type: 'HumanTaskOpened',
    riskId: r.riskId,
    taskId,
    kind,
    requiredRoles: [...roles],
    subject: { riskId: r.riskId, ...subject },
    requestedBy,
    dueAt: addMilliseconds(at, DECISION_TIME_MS),
    by,
    at,
  };
}

/** Open tasks the risk returns past when it goes back to assessment. */
function superseded(r: Risk, at: string, reason: string): RiskEvent[] {
  return r.tasks
    .filter((t) => t.status === 'open')
    .map((t) => ({ type: 'HumanTaskSuperseded', riskId: r.riskId, taskId: t.taskId, reason, at }));
}

export function decide(c: RiskCommand, s: RiskState): Result<RiskEvent[], DomainError> {
  if (c === null || typeof c !== 'object') return refuse('UNKNOWN_COMMAND', 'A command is an object with a type.');
  if (c.type === 'IdentifyRisk') {
    if (s !== null) return refuse('RISK_ALREADY_IDENTIFIED', `Risk ${s.riskId} is already identified.`, { riskId: s.riskId });
    const v = new ValidationIssues();
    if (typeof c.riskId !== 'string' || !RISK_ID.test(c.riskId)) v.add('riskId', 'must be 1-128 letters, digits, ".", "_", ":" or "-"');
    // Its stream would read as the criteria's (`risk-criteria-…`): the evidence's own naming forbids it.
    else if (c.riskId.startsWith('criteria-')) v.add('riskId', 'must not begin with "criteria-" (the risk criteria\'s stream)');
    if (c.systemId !== null) {
      const issue = systemIdIssue(c.systemId);
      if (issue) v.add(issue.field, issue.problem);
    }
    const src = c.source as RiskSource | undefined;
    if (
      !(src?.kind === 'annex-c' && (ANNEX_C_RISK_SOURCES as readonly string[]).includes(src.id)) &&
      !(src?.kind === 'organisation' && typeof src.name === 'string' && src.name.trim() !== '')
    )
      v.add('source', `must be { kind: annex-c, id: ${ANNEX_C_RISK_SOURCES.join(' | ')} } or { kind: organisation, name }`);
    v.text('description', c.description);
    v.text('owner', c.owner);
    if (!v.empty) return err(validationFailed(c.type, v.list));
    const by = role(c.by, IDENTIFY_ROLES, 'identify a risk');
    if (!by.ok) return by;
    return ok([
      {
        type: 'RiskIdentified',
        riskId: c.riskId,
        systemId: c.systemId,
        source: c.source,
        description: c.description,
        owner: c.owner,
        by: by.value,
        at: c.at,
      },
    ]);
  }
  if (s === null) return refuse('RISK_NOT_IDENTIFIED', 'The risk must be identified first.');
  const r = s;
  switch (c.type) {
    case 'AssessRisk': {
      if (r.status !== 'identified' && r.status !== 'reassessment_due') return wrongStatus(r, 'be assessed');
      const v = new ValidationIssues();
      const criteriaIssues = criteriaContentIssues(c.criteria?.content, 'criteria.content');
      if (!Number.isInteger(c.criteria?.version) || c.criteria.version < 1)
        v.add('criteria.version', 'must be an approved version (1 or more)');
      v.addAll(criteriaIssues);
      v.text('rationale', c.rationale);
      const inherent = criteriaIssues.length === 0 && c.criteria ? scoreOf(c.criteria, c.inherent, 'inherent', v) : null;
      if (!v.empty || inherent === null) return err(validationFailed(c.type, v.list));
      const by = role(c.by, ASSESS_ROLES, 'assess a risk');
      if (!by.ok) return by;
      const assessment = r.assessment + 1;
      const next = { ...r, assessment };
      return ok([
        {
          type: 'RiskAssessed',
          riskId: r.riskId,
          assessment,
          inherent,
          rationale: c.rationale,
          criteria: c.criteria,
          by: by.value,
          at: c.at,
        },
        opened(next, 'risk_assessment_review', REVIEW_ROLES, c.by.id, by.value, c.at, { assessment, level: inherent.level }),
      ]);
    }
    case 'PlanRiskTreatment': {
      if (r.status !== 'reviewed') return wrongStatus(r, 'take a treatment plan');
      const v = new ValidationIssues();
      v.oneOf('option', c.option, TREATMENT_OPTIONS);
      const controls = Array.isArray(c.annexAControlIds) ? c.annexAControlIds : [];
      if (!Array.isArray(c.annexAControlIds)) v.add('annexAControlIds', 'must be a list of Annex A control ids');
      controls.forEach(
        (id, i) => (ANNEX_A_CONTROL_IDS as readonly string[]).includes(id) || v.add(`annexAControlIds[${i}]`, 'is not an Annex A control'),
      );
      if (!Array.isArray(c.ownControls) || c.ownControls.some((x) => typeof x !== 'string' || x.trim() === ''))
        v.add('ownControls', 'must be a list of non-empty names');
      const actions = Array.isArray(c.actions) ? c.actions : [];
      if (!Array.isArray(c.actions)) v.add('actions', 'must be a list');
      else if (c.option !== 'retain' && actions.length === 0) v.add('actions', `must hold at least one action to ${c.option} the risk`);
      actions.forEach((a, i) => {
        v.text(`actions[${i}].actionId`, a?.actionId);
        v.text(`actions[${i}].description`, a?.description);
        v.text(`actions[${i}].owner`, a?.owner);
        if (!isDueDate(a?.dueDate)) v.add(`actions[${i}].dueDate`, 'must be a date (2026-03-31) or an instant');
      });
      v.distinct(
        'actions',
        actions.map((a) => a?.actionId),
        'action',
      );
      if (!v.empty) return err(validationFailed(c.type, v.list));
      const by = role(c.by, PLAN_ROLES, 'plan a risk treatment');
      if (!by.ok) return by;
      const planned = actions.map((a) => ({ actionId: a.actionId, description: a.description, owner: a.owner, dueDate: a.dueDate }));
      return ok([
        {
          type: 'RiskTreatmentPlanned',
          riskId: r.riskId,
          assessment: r.assessment,
          option: c.option,
          annexAControlIds: [...controls],
          ownControls: [...c.ownControls],
          actions: planned,
          by: by.value,
          at: c.at,
        },
        opened(r, 'risk_treatment_plan_approval', PLAN_APPROVAL_ROLES, c.by.id, by.value, c.at, {
          assessment: r.assessment,
          option: c.option,
        }),
      ]);
    }
    case 'DecideRiskTask':
      return decideTask(c, r);
    case 'CompleteTreatmentAction': {
      if (r.status !== 'treatment_in_progress') return wrongStatus(r, 'complete treatment actions');
      const action = r.actions.find((a) => a.actionId === c.actionId);
      if (!action)
        return refuse('TREATMENT_ACTION_UNKNOWN', `Risk ${r.riskId} has no treatment action ${c.actionId}.`, { actionId: c.actionId });
      if (action.completedAt !== null)
        return refuse('TREATMENT_ACTION_DONE', `Action ${c.actionId} was completed at ${action.completedAt}.`, { actionId: c.actionId });
      const v = new ValidationIssues();
      if (
        !Array.isArray(c.evidenceRefs) ||
        c.evidenceRefs.length === 0 ||
        c.evidenceRefs.some((x) => typeof x !== 'string' || x.trim() === '')
      )
        v.add('evidenceRefs', 'must name at least one piece of evidence of the work');
      v.optionalText('note', c.note);
      if (!v.empty) return err(validationFailed(c.type, v.list));
      const problem = actorProblem(c.by);
      if (problem) return refuse('INVALID_ACTOR', problem);
      // The action's owner does it; the AIMS owner may step in (an escalated action is theirs).
      const isOwner = c.by.id.trim().toLowerCase() === action.owner.trim().toLowerCase();
      if (!isOwner && !c.by.roles.includes('aims_owner'))
        return refuse('NOT_ACTION_OWNER', `${c.by.id} is not the owner of action ${c.actionId} (${action.owner}).`, {
          actionId: c.actionId,
          owner: action.owner,
          actorId: c.by.id,
        });
      const by = isOwner ? actingAs(c.by, ['risk_owner', 'engineer', 'aims_owner']) : { id: c.by.id, role: 'aims_owner' as const };
      return ok([
        {
          type: 'TreatmentActionCompleted',
          riskId: r.riskId,
          actionId: c.actionId,
          evidenceRefs: [...c.evidenceRefs],
          note: c.note ?? null,
          by,
          at: c.at,
        },
      ]);
    }
    case 'RecordResidualRisk': {
      if (r.status !== 'treated') return wrongStatus(r, 'take a residual level');
      const v = new ValidationIssues();
      v.text('rationale', c.rationale);
      const residual = r.criteria === null ? null : scoreOf(r.criteria, c.residual, 'residual', v);
      if (!v.empty || residual === null) return err(validationFailed(c.type, v.list));
      const by = role(c.by, ASSESS_ROLES, 'record a residual risk');
      if (!by.ok) return by;
      return ok([
        {
          type: 'ResidualRiskAssessed',
          riskId: r.riskId,
          assessment: r.assessment,
          residual,
          rationale: c.rationale,
          by: by.value,
          at: c.at,
        },
        opened(r, 'risk_acceptance', residual.acceptedBy, c.by.id, by.value, c.at, {
          assessment: r.assessment,
          level: residual.level,
          aboveAppetite: residual.aboveAppetite,
        }),
      ]);
    }
    case 'RemindTreatmentAction':
    case 'MarkTreatmentActionOverdue':
    case 'EscalateTreatmentAction': {
      const a = r.actions.find((x) => x.actionId === c.actionId);
      if (!a || a.completedAt !== null || r.status !== 'treatment_in_progress')
        return refuse('TREATMENT_ACTION_CLOSED', `Action ${c.actionId} is not open.`);
      if (c.type === 'RemindTreatmentAction')
        return a.remindedAt !== null
          ? ok([])
          : ok([{ type: 'TreatmentActionReminderIssued', riskId: r.riskId, actionId: a.actionId, dueDate: a.dueDate, at: c.at }]);
      if (c.type === 'MarkTreatmentActionOverdue')
        return a.overdueSince !== null
          ? ok([])
          : ok([{ type: 'TreatmentActionOverdue', riskId: r.riskId, actionId: a.actionId, dueDate: a.dueDate, at: c.at }]);
      return a.escalatedAt !== null
        ? ok([])
        : ok([{ type: 'TreatmentActionEscalated', riskId: r.riskId, actionId: a.actionId, escalatedTo: 'aims_owner', at: c.at }]);
    }
    case 'MarkReassessmentDue':
      if (r.status !== 'monitored' || r.reassessmentDueAt === null || Date.parse(c.at) < Date.parse(r.reassessmentDueAt)) return ok([]);
      return ok([{ type: 'RiskReassessmentDue', riskId: r.riskId, cause: { kind: 'interval', dueAt: r.reassessmentDueAt }, at: c.at }]);
    case 'RequestRiskReassessment': {
      const v = new ValidationIssues();
      v.text('cause.eventId', c.cause?.eventId);
      v.text('cause.type', c.cause?.type);
      if (!v.empty) return err(validationFailed(c.type, v.list));
      // Not yet assessed: the first assessment will see the change anyway.
      if (r.status === 'identified' || r.status === 'reassessment_due') return ok([]);
      return ok([
        ...superseded(r, c.at, `reassessment requested by ${c.cause.type} ${c.cause.eventId}`),
        {
          type: 'RiskReassessmentDue',
          riskId: r.riskId,
          cause: { kind: 'lifecycle', eventId: c.cause.eventId, type: c.cause.type, summary: c.cause.summary ?? '' },
          at: c.at,
        },
      ]);
    }
    case 'NoteAiPolicyAtAcceptance':
      return noteAiPolicyAtAcceptance(c, r);
    default:
      return refuse('UNKNOWN_COMMAND', `${String((c as { type: unknown }).type)} is not a risk command.`);
  }
}

/**
 * The AI policy in force when the acceptance was decided (5.2, A.2.2): the process's own step right after
 * the decision, naming the decision's evidence; the same decision noted again records nothing.
 */
function noteAiPolicyAtAcceptance(
  c: Extract<RiskCommand, { type: 'NoteAiPolicyAtAcceptance' }>,
  r: Risk,
): Result<RiskEvent[], DomainError> {
  const v = new ValidationIssues();
  v.text('decisionEventId', c.decisionEventId);
  v.timestamp('decidedAt', c.decidedAt);
  v.text('source', c.source);
  checkAiPolicies(v, 'policies', c.policies);
  if (!v.empty) return err(validationFailed(c.type, v.list));
  const decided = [...r.tasks].reverse().find((t) => t.kind === 'risk_acceptance' && t.status === 'decided');
  if (decided === undefined) return refuse('HUMAN_TASK_UNKNOWN', `Risk ${r.riskId} has no decided acceptance to note a policy for.`);
  if (r.acceptancePolicy?.decisionEventId === c.decisionEventId) return ok([]);
  return ok([
    {
      type: 'AiPolicyAtAcceptanceNoted',
      riskId: r.riskId,
      assessment: r.assessment,
      outcome: decided.decision?.outcome === 'approved' ? 'approved' : 'rejected',
      decisionEventId: c.decisionEventId,
      decidedAt: c.decidedAt,
      policies: c.policies.map((p) => ({ ...p, attachmentDigests: [...p.attachmentDigests] })),
      source: c.source,
      at: c.at,
    },
  ]);
}

function decideTask(c: Extract<RiskCommand, { type: 'DecideRiskTask' }>, r: Risk): Result<RiskEvent[], DomainError> {
  const task = r.tasks.find((t) => t.taskId === c.taskId);
  const allowed: HumanTaskOutcome[] =
    task?.kind === 'risk_assessment_review' ? ['approved', 'changes_requested'] : ['approved', 'rejected'];
  // The assessor never reviews their assessment; the planner never approves their plan; whoever recorded the
  // residual level never accepts it (all as `requestedBy` of the task).
  const checked = checkHumanTaskDecision(task, { taskId: c.taskId, outcome: c.outcome, reasons: c.reasons ?? [], by: c.by }, allowed);
  if (!checked.ok || task === undefined) return checked.ok ? refuse('HUMAN_TASK_UNKNOWN', `There is no task ${c.taskId}.`) : checked;
  const by = checked.value;
  const reasons = (c.reasons ?? []).filter((x) => typeof x === 'string' && x.trim() !== '');
  const base = { riskId: r.riskId, by, at: c.at, assessment: r.assessment, reasons };
  const decided: RiskEvent = {
    type: 'HumanTaskDecided',
    riskId: r.riskId,
    taskId: task.taskId,
    kind: task.kind,
    outcome: c.outcome,
    reasons,
    by,
    at: c.at,
  };
  switch (task.kind) {
    case 'risk_assessment_review':
      return ok([
        decided,
        { type: 'RiskAssessmentReviewed', ...base, outcome: c.outcome === 'approved' ? 'approved' : 'changes_requested' },
      ]);
    case 'risk_treatment_plan_approval':
      return ok([decided, { type: 'RiskTreatmentPlanDecided', ...base, outcome: c.outcome === 'approved' ? 'approved' : 'rejected' }]);
    case 'risk_acceptance': {
      const level = r.residual?.level ?? '';
      const interval = parseFixedDuration(r.residual?.reassessmentInterval ?? '');
      const dueAt = c.outcome === 'approved' && interval !== null ? addMilliseconds(c.at, interval) : null;
      return ok([
        decided,
        {
          type: 'RiskAcceptanceDecided',
          ...base,
          outcome: c.outcome === 'approved' ? 'approved' : 'rejected',
          level,
          reassessmentDueAt: dueAt,
        },
      ]);
    }
    default:
      return refuse('HUMAN_TASK_UNKNOWN', `Task ${c.taskId} is of no kind a risk decides.`);
  }
}
