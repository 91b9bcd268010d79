/**
 * A nonconformity's work items in the one inbox (corrective action, 10.2): each kind is one step of the
 * `nonconformity` workflow, which applies the domain's rules on who may take it (roles, the action's
 * owner), segregation of duties (never the plan's author) and the review's independence, exactly as on the
 * nonconformity's own endpoints.
 */
import type { Actor } from '../../../../domain/shared/roles';
import type { HumanTaskRow } from '../../../../infra/projections/read-models';
import {
  completeCorrectiveActionUpdate,
  recordContainmentUpdate,
  recordEffectivenessReviewUpdate,
  submitCorrectiveActionPlanUpdate,
  submitRootCauseAnalysisUpdate,
} from '../../../../workflows/nonconformity.messages';
import { invalidField } from '../common/problems';
import type { NonconformityTaskDecidedDto, TaskDecisionInputDto } from '../tasks/task-decisions.dto';
import type { TaskKindRoute } from '../tasks/task-kinds';
import { stepDto } from './nonconformities.dto';
import { planDueDateField } from './nonconformity-commands.dto';
import type { NonconformityProcess, NonconformityStep } from './nonconformity.process';

/** The field a kind cannot do without. */
function needed<K extends keyof TaskDecisionInputDto>(
  body: TaskDecisionInputDto,
  field: K,
  kind: string,
): NonNullable<TaskDecisionInputDto[K]> {
  const value = body[field];
  if (value === undefined || value === null) throw invalidField(String(field), `a ${kind} task needs ${String(field)}`);
  return value;
}

function answered(task: HumanTaskRow, outcome: string, step: NonconformityStep): NonconformityTaskDecidedDto {
  return { ...stepDto(step), taskId: task.taskId, kind: task.kind, outcome, stream: task.stream };
}

/** A string the task's subject carries (the read model puts it there); its absence is a bug. */
function subjectText(task: HumanTaskRow, field: string): string {
  const value = task.subject[field];
  if (typeof value !== 'string') throw new Error(`bug: task ${task.taskId} (${task.kind}) has no ${field} in its subject`);
  return value;
}

const nonconformityOf = (task: HumanTaskRow): string => subjectText(task, 'nonconformityId');

type Route = TaskKindRoute<NonconformityProcess>;

export const NONCONFORMITY_TASK_ROUTES: readonly Route[] = [
  {
    kinds: ['containment'],
    outcomes: ['record'],
    fields: ['containment'],
    summary: "Record the nonconformity's containment (what was done at once, or why nothing was needed).",
    async decide(nc, task, body, by: Actor) {
      const input = needed(body, 'containment', task.kind).toInput(by);
      return answered(task, 'recorded', await nc.send(nonconformityOf(task), recordContainmentUpdate, input));
    },
  },
  {
    kinds: ['root_cause_analysis'],
    outcomes: ['submit'],
    fields: ['rootCauseAnalysis'],
    summary: "Submit the round's root-cause analysis.",
    async decide(nc, task, body, by) {
      const input = needed(body, 'rootCauseAnalysis', task.kind).toInput(by);
      return answered(task, 'submitted', await nc.send(nonconformityOf(task), submitRootCauseAnalysisUpdate, input));
    },
  },
  {
    kinds: ['corrective_action_plan'],
    outcomes: ['submit'],
    fields: ['plan'],
    summary: 'Submit a corrective action plan (actions with owner and due date); someone else decides it.',
    async decide(nc, task, body, by) {
      const plan = needed(body, 'plan', task.kind).toInput(by);
      const step = await nc.send(nonconformityOf(task), submitCorrectiveActionPlanUpdate, plan, {
        fieldOf: planDueDateField(plan, 'plan.'),
      });
      return answered(task, 'submitted', step);
    },
  },
  {
    kinds: ['plan_decision'],
    outcomes: ['approve', 'reject'],
    fields: ['comment', 'reasons'],
    summary: "Approve (with a comment) or reject (with reasons) a corrective action plan; never by the plan's author.",
    async decide(nc, task, body, by) {
      const outcome = body.outcome === 'approve' ? 'approve' : 'reject';
      const step = await nc.decidePlan(
        nonconformityOf(task),
        subjectText(task, 'planId'),
        { outcome, reasons: body.reasons, comment: body.comment },
        by,
      );
      return answered(task, outcome === 'approve' ? 'approved' : 'rejected', step);
    },
  },
  {
    kinds: ['corrective_action'],
    outcomes: ['complete'],
    fields: ['evidenceRefs', 'comment'],
    summary:
      'Complete a corrective action, with where the evidence of it is (evidenceRefs, required) and a note (comment); by its owner, or once escalated an AIMS owner.',
    async decide(nc, task, body, by) {
      const evidenceRefs = needed(body, 'evidenceRefs', task.kind);
      if (evidenceRefs.length === 0)
        throw invalidField('evidenceRefs', 'a corrective action is completed with the evidence that it was done');
      const input = { by, actionId: subjectText(task, 'actionId'), evidenceRefs: [...evidenceRefs], note: body.comment ?? null };
      return answered(task, 'completed', await nc.send(nonconformityOf(task), completeCorrectiveActionUpdate, input));
    },
  },
  {
    kinds: ['effectiveness_review'],
    outcomes: ['effective', 'ineffective'],
    fields: ['findings', 'evidenceRefs'],
    summary:
      "Record the effectiveness review once due (findings required): effective closes the nonconformity, ineffective reopens it; never by the plan's author.",
    async decide(nc, task, body, by) {
      const outcome: 'effective' | 'ineffective' = body.outcome === 'effective' ? 'effective' : 'ineffective';
      const findings = needed(body, 'findings', task.kind);
      const step = await nc.send(nonconformityOf(task), recordEffectivenessReviewUpdate, {
        by,
        outcome,
        findings,
        evidenceRefs: [...(body.evidenceRefs ?? [])],
      });
      return answered(task, outcome, step);
    },
  },
];
