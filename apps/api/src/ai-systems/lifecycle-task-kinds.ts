/**
 * The lifecycle's human tasks in the one inbox: every kind (impact-assessment review, validation sign-off,
 * deployment and decommissioning approval, monitoring review) is decided by the lifecycle's `decideTask`
 * Update, where the domain checks the decider's role, segregation of duties and the reasons a refusal needs.
 */
import { HUMAN_TASK_KINDS } from '../../../../domain/ai-system/model';
import type { HumanTaskOutcome } from '../../../../domain/shared/human-task';
import { decideTaskUpdate } from '../../../../workflows/ai-system-lifecycle.messages';
import type { TaskOutcome } from '../tasks/task-decisions.dto';
import type { TaskKindRoute } from '../tasks/task-kinds';
import type { LifecycleProcess } from './lifecycle.process';

/** The API's words for a decision; the domain records approved, rejected, changes_requested. */
const OUTCOMES: Partial<Record<TaskOutcome, HumanTaskOutcome>> = {
  approve: 'approved',
  reject: 'rejected',
  request_changes: 'changes_requested',
};

export const LIFECYCLE_TASK_ROUTES: readonly TaskKindRoute<LifecycleProcess>[] = [
  {
    kinds: HUMAN_TASK_KINDS,
    outcomes: ['approve', 'reject', 'request_changes'],
    fields: ['comment', 'reasons', 'evidenceRefs', 'riskTier'],
    summary:
      'An AI system lifecycle decision; reject and request_changes need reasons, request_changes only for impact-assessment reviews; approving an impact assessment confirms the risk tier (riskTier, required for systems under the organisation policy).',
    async decide(lifecycle, task, body, by) {
      // Lifecycle task ids embed the system: its stream is ai-system-<id>.
      if (task.aiSystemId === null) throw new Error(`bug: lifecycle task ${task.taskId} names no AI system`);
      const answer = await lifecycle.send(
        task.aiSystemId,
        decideTaskUpdate,
        {
          by,
          taskId: task.taskId,
          outcome: OUTCOMES[body.outcome] as HumanTaskOutcome,
          ...(body.reasons === undefined ? {} : { reasons: [...body.reasons] }),
          ...(body.comment === undefined ? {} : { comment: body.comment }),
          ...(body.evidenceRefs === undefined ? {} : { evidenceRefs: [...body.evidenceRefs] }),
          ...(body.riskTier === undefined ? {} : { riskTier: body.riskTier }),
        },
        ['HUMAN_TASK_UNKNOWN'],
      );
      return { ...answer, stream: task.stream, aiSystemId: task.aiSystemId };
    },
  },
];
