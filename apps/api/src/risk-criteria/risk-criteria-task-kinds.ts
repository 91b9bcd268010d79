/**
 * The risk criteria's tasks in the one inbox: a draft's review and its approval, each by someone other
 * than its author (the domain refuses the author, 403 SEGREGATION_OF_DUTIES); reject needs reasons.
 */
import type { HumanTaskOutcome } from '../../../../domain/shared/human-task';
import type { TaskOutcome } from '../tasks/task-decisions.dto';
import type { TaskKindRoute } from '../tasks/task-kinds';
import type { RiskCriteriaProcess } from './risk-criteria.process';

const OUTCOMES: Partial<Record<TaskOutcome, HumanTaskOutcome>> = { approve: 'approved', reject: 'rejected' };

export const RISK_CRITERIA_TASK_ROUTES: readonly TaskKindRoute<RiskCriteriaProcess>[] = [
  {
    kinds: ['risk_criteria_review', 'risk_criteria_approval'],
    outcomes: ['approve', 'reject'],
    fields: ['reasons'],
    summary:
      "A draft of the organisation's risk criteria: review sends it to approval, approval puts it in force as the next version; reject (with reasons) returns it.",
    async decide(criteria, task, body, by) {
      const outcome = OUTCOMES[body.outcome] as HumanTaskOutcome;
      const answer = await criteria.decide(by, task.taskId, outcome, body.reasons === undefined ? [] : [...body.reasons]);
      return { ...answer, taskId: task.taskId, kind: task.kind, outcome, stream: task.stream };
    },
  },
];
