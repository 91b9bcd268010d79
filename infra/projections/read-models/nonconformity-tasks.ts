/**
 * A nonconformity's work items as human tasks (5.3, 10.2): containment, root-cause analysis, the corrective
 * action plan, its decision, each corrective action and the effectiveness review. They are not recorded as
 * task events: they follow from the nonconformity's state (the domain's `openTasksOf` says which are open
 * and who may take them), so they are rows derived from the nonconformity read model's fold, one per work
 * item, open or done, in the human-task read model beside the lifecycle's tasks. One inbox serves both.
 */
import { createHash } from 'node:crypto';
import {
  approvedPlan,
  type CorrectionRound,
  type CorrectiveActionPlan,
  type Nonconformity,
  type NonconformityState,
} from '../../../domain/nonconformity/nonconformity';
import { NONCONFORMITY_COMMAND_ROLES } from '../../../domain/nonconformity/authority';
import type { PersonCommandType } from '../../../domain/nonconformity/commands';
import { openTasksOf, type AwaitedStep, type OpenTask } from '../../../domain/nonconformity/queries';
import { dueInstant, formatInstant } from '../../../domain/shared/iso-time';
import type { JsonObject } from '../../ports/event-store.port';
import type { Projected } from '../../ports/read-model-store.port';
import type { HumanTaskRow, HumanTaskRowStatus } from './human-task-row';
import type { NonconformityRow } from './nonconformities.read-model';

export type NonconformityTaskKind = AwaitedStep['step'];

/**
 * The command that does each work item: whose roles (the domain's NONCONFORMITY_COMMAND_ROLES) take it.
 * A corrective action has none: it is its owner's (`assignee`), and the AIMS owner's once escalated.
 */
export const NONCONFORMITY_TASK_COMMANDS: Readonly<Record<NonconformityTaskKind, PersonCommandType>> = {
  containment: 'RecordContainment',
  root_cause_analysis: 'SubmitRootCauseAnalysis',
  corrective_action_plan: 'SubmitCorrectiveActionPlan',
  plan_decision: 'ApproveCorrectiveActionPlan',
  corrective_action: 'CompleteCorrectiveAction',
  effectiveness_review: 'RecordEffectivenessReview',
};

/** The task's place in the nonconformity, unique within it; open iff the domain awaits that step. */
function slotOf(step: AwaitedStep): string {
  switch (step.step) {
    case 'containment':
      return 'containment';
    case 'root_cause_analysis':
      return `root-cause-analysis-${step.round}`;
    case 'corrective_action_plan':
      return `corrective-action-plan-${step.round}`;
    case 'plan_decision':
      return `plan-decision:${step.planId}`;
    case 'corrective_action':
      return `action:${step.actionId}`;
    case 'effectiveness_review':
      return `effectiveness-review-${step.round}`;
    default: {
      const unknownStep: never = step;
      return unknownStep;
    }
  }
}

/** The API's entity-id rule (letters, digits, _ . : @, dash-separated), which task ids in a path must meet. */
const ENTITY_ID = /^[A-Za-z0-9][A-Za-z0-9_.:@]*(?:-[A-Za-z0-9_.:@]+)*$/;

/** `<nonconformity id>:<slot>`, readable; a hash of it when that would not be a usable id (too long, odd ids). */
export function nonconformityTaskId(nonconformityId: string, slot: string): string {
  const readable = `${nonconformityId}:${slot}`;
  if (readable.length <= 128 && ENTITY_ID.test(readable)) return readable;
  return `nct-${createHash('sha256').update(readable).digest('hex').slice(0, 40)}`;
}

interface WorkItem {
  step: AwaitedStep;
  openedAt: string;
  dueAt: string | null;
  subject: JsonObject;
  requestedBy: string | null;
  assignee: string | null;
  decision: HumanTaskRow['decision'];
  reminderSentAt?: string | null;
  escalatedTo?: string | null;
  escalatedAt?: string | null;
}

const by = (actor: { id: string; role: string }): JsonObject => ({ id: actor.id, role: actor.role });

function planItems(round: CorrectionRound, plan: CorrectiveActionPlan, base: JsonObject): WorkItem[] {
  const items: WorkItem[] = [
    {
      step: { step: 'plan_decision', round: round.round, planId: plan.planId, planAuthor: plan.author },
      openedAt: plan.submittedAt,
      dueAt: null,
      subject: {
        ...base,
        round: round.round,
        planId: plan.planId,
        actions: plan.actions.map((a) => ({ actionId: a.actionId, description: a.description, owner: a.owner, dueDate: a.dueDate })),
      },
      // Segregation of duties: the plan's author may not decide it (the workflow refuses them).
      requestedBy: plan.author.id,
      assignee: null,
      decision:
        plan.decision === null
          ? null
          : {
              outcome: plan.decision.outcome,
              by: by(plan.decision.decidedBy),
              reasons: plan.decision.outcome === 'rejected' ? [...plan.decision.reasons] : [],
              at: plan.decision.decidedAt,
            },
    },
  ];
  if (plan.decision?.outcome !== 'approved') return items;
  for (const action of plan.actions) {
    const due = dueInstant(action.dueDate);
    const escalation = action.escalations.at(-1);
    items.push({
      step: {
        step: 'corrective_action',
        round: round.round,
        planId: plan.planId,
        actionId: action.actionId,
        owner: action.owner,
        dueDate: action.dueDate,
      },
      openedAt: plan.decision.decidedAt,
      dueAt: due === null ? null : formatInstant(due),
      subject: {
        ...base,
        round: round.round,
        planId: plan.planId,
        actionId: action.actionId,
        description: action.description,
        dueDate: action.dueDate,
      },
      requestedBy: null,
      assignee: action.owner,
      decision:
        action.completion === null
          ? null
          : { outcome: 'completed', by: by(action.completion.completedBy), reasons: [], at: action.completion.completedAt },
      reminderSentAt: action.remindersIssuedAt[0] ?? null,
      escalatedTo: escalation?.escalatedTo ?? null,
      escalatedAt: escalation?.escalatedAt ?? null,
    });
  }
  return items;
}

/** Every work item the nonconformity has had, open or done, oldest first. */
function workItemsOf(nc: Nonconformity, awaited: ReadonlySet<string>): WorkItem[] {
  const base: JsonObject = { nonconformityId: nc.id, title: nc.title, severity: nc.severity };
  const containment = nc.containment[0];
  const items: WorkItem[] = [
    {
      step: { step: 'containment' },
      openedAt: nc.raisedAt,
      dueAt: null,
      subject: base,
      requestedBy: null,
      assignee: null,
      decision:
        containment === undefined ? null : { outcome: 'recorded', by: by(containment.recordedBy), reasons: [], at: containment.recordedAt },
    },
  ];
  for (const round of nc.rounds) {
    const r = round.round;
    const analysis = round.rootCauseAnalyses[0];
    const analysisStep: AwaitedStep = { step: 'root_cause_analysis', round: r };
    if (analysis !== undefined || awaited.has(slotOf(analysisStep))) {
      items.push({
        step: analysisStep,
        openedAt: r === 1 ? (containment?.recordedAt ?? round.openedAt) : round.openedAt,
        dueAt: null,
        subject: { ...base, round: r },
        requestedBy: null,
        assignee: null,
        decision: analysis === undefined ? null : { outcome: 'submitted', by: by(analysis.author), reasons: [], at: analysis.submittedAt },
      });
    }
    const planStep: AwaitedStep = { step: 'corrective_action_plan', round: r };
    const lastPlan = round.plans.at(-1);
    if (lastPlan !== undefined || awaited.has(slotOf(planStep))) {
      const reopenedAt = lastPlan?.decision?.outcome === 'rejected' ? lastPlan.decision.decidedAt : undefined;
      items.push({
        step: planStep,
        // A rejection asks for a new plan: the task opens again then.
        openedAt: awaited.has(slotOf(planStep))
          ? (reopenedAt ?? analysis?.submittedAt ?? round.openedAt)
          : (analysis?.submittedAt ?? round.openedAt),
        dueAt: null,
        subject: { ...base, round: r },
        requestedBy: null,
        assignee: null,
        decision: lastPlan === undefined ? null : { outcome: 'submitted', by: by(lastPlan.author), reasons: [], at: lastPlan.submittedAt },
      });
    }
    for (const plan of round.plans) items.push(...planItems(round, plan, base));
    const review = round.effectivenessReview;
    if (review !== null) {
      const author = approvedPlan(round)?.author.id ?? null;
      items.push({
        step: { step: 'effectiveness_review', round: r, dueAt: review.dueAt },
        openedAt: review.scheduledAt,
        dueAt: review.dueAt,
        subject: { ...base, round: r },
        // Independence: the approved plan's author may not judge whether it worked.
        requestedBy: author,
        assignee: null,
        decision:
          review.result === null
            ? null
            : { outcome: review.result.outcome, by: by(review.result.reviewedBy), reasons: [], at: review.result.reviewedAt },
      });
    }
  }
  return items;
}

/** The human-task rows a nonconformity's fold implies: what the human-task read model derives from it. */
export function nonconformityTaskRows(
  source: Projected<NonconformityRow, NonconformityState>,
  key: (taskId: string) => string,
): Array<{ key: string; row: HumanTaskRow }> {
  const nc = source.state;
  if (nc === null) return [];
  // Who may take an open one is the domain's answer (roles, an escalation, the assignee).
  const open = new Map<string, OpenTask>(openTasksOf(nc).map((task) => [slotOf(task), task]));
  return workItemsOf(nc, new Set(open.keys())).map((item) => {
    const slot = slotOf(item.step);
    const taskId = nonconformityTaskId(nc.id, slot);
    const kind = item.step.step;
    const openTask = open.get(slot);
    const status: HumanTaskRowStatus = openTask !== undefined ? 'open' : item.decision !== null ? 'decided' : 'superseded';
    const requiredRoles = [...NONCONFORMITY_COMMAND_ROLES[NONCONFORMITY_TASK_COMMANDS[kind]]];
    const row: HumanTaskRow = {
      taskId,
      stream: source.row.stream,
      aiSystemId: null,
      aiSystemIds: [...nc.aiSystemIds],
      kind,
      requiredRoles,
      eligibleRoles: openTask === undefined ? requiredRoles : [...openTask.roles],
      assignee: item.assignee,
      subject: item.subject,
      requestedBy: item.requestedBy,
      status,
      openedAt: item.openedAt,
      dueAt: item.dueAt,
      reminderSentAt: item.reminderSentAt ?? null,
      escalatedTo: item.escalatedTo ?? null,
      escalatedAt: item.escalatedAt ?? null,
      decision: status === 'open' ? null : item.decision,
      supersededReason: status === 'superseded' ? 'the nonconformity no longer awaits this step' : null,
      closedAt: status === 'open' ? null : (item.decision?.at ?? source.row.updatedAt),
      updatedAt: source.row.updatedAt,
      lastPosition: source.row.lastPosition,
    };
    return { key: key(taskId), row };
  });
}
