/**
 * A risk's tasks in the one inbox: its assessment's review (a risk owner other than the assessor), its
 * treatment plan's approval (never the planner) and the acceptance of its residual level (the level's
 * acceptors; above appetite, the AIMS owner). The domain refuses anyone else.
 */
import type { HumanTaskOutcome } from '../../../../domain/shared/human-task';
import { RISK_CATEGORY } from '../../../../domain/risk';
import type { TaskOutcome } from '../tasks/task-decisions.dto';
import type { TaskKindRoute } from '../tasks/task-kinds';
import type { RiskProcess } from './risk.process';

const OUTCOMES: Partial<Record<TaskOutcome, HumanTaskOutcome>> = { approve: 'approved', reject: 'rejected' };

export const RISK_TASK_ROUTES: readonly TaskKindRoute<RiskProcess>[] = [
  {
    kinds: ['risk_assessment_review', 'risk_treatment_plan_approval', 'risk_acceptance'],
    outcomes: ['approve', 'reject'],
    fields: ['reasons'],
    summary:
      "A risk's assessment review, treatment plan approval or acceptance of its residual level (above appetite: the AIMS owner); reject needs reasons.",
    async decide(risks, task, body, by) {
      const outcome = OUTCOMES[body.outcome] as HumanTaskOutcome;
      const riskId = task.stream.slice(RISK_CATEGORY.length + 1);
      const answer = await risks.decideTask(riskId, by, task.taskId, outcome, body.reasons === undefined ? [] : [...body.reasons]);
      return { ...answer, riskId, taskId: task.taskId, kind: task.kind, outcome, stream: task.stream };
    },
  },
];
