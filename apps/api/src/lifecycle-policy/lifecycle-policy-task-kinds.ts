/**
 * The lifecycle-policy change's decision in the one inbox: approved or rejected by the AIMS owner or top
 * management (never the proposer: the domain refuses it). After an approval, the systems the change
 * concerns are put under the new version at once, as the approver's act.
 */
import type { HumanTaskOutcome } from '../../../../domain/shared/human-task';
import type { TaskOutcome } from '../tasks/task-decisions.dto';
import type { TaskKindRoute } from '../tasks/task-kinds';
import type { LifecyclePolicyProcess } from './lifecycle-policy.process';

const OUTCOMES: Partial<Record<TaskOutcome, HumanTaskOutcome>> = { approve: 'approved', reject: 'rejected' };

export const LIFECYCLE_POLICY_TASK_ROUTES: readonly TaskKindRoute<LifecyclePolicyProcess>[] = [
  {
    kinds: ['lifecycle_policy_change_approval'],
    outcomes: ['approve', 'reject'],
    fields: ['reasons'],
    summary:
      "A change of the organisation's lifecycle policy or a system's deviation; reject needs reasons. An approval puts the systems it concerns under the new version.",
    async decide(policy, task, body, by) {
      const outcome = OUTCOMES[body.outcome] as HumanTaskOutcome;
      const answer = await policy.decide(by, task.taskId, outcome, body.reasons === undefined ? [] : [...body.reasons]);
      const applied = outcome === 'approved' ? await policy.applyAfterApproval(answer.changeId, by) : [];
      return { ...answer, kind: 'lifecycle_policy_change_approval', outcome, stream: task.stream, applied };
    },
  },
];
