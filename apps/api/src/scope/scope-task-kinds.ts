/**
 * The scope's tasks in the one inbox: a proposed statement's approval (top management, never its proposer:
 * the domain refuses it) and a registered system's scope decision (the AIMS owner: approve puts it in
 * scope, reject puts it out; either way the reasons or comment are the justification).
 */
import type { HumanTaskOutcome } from '../../../../domain/shared/human-task';
import { invalidField } from '../common/problems';
import type { TaskOutcome } from '../tasks/task-decisions.dto';
import type { TaskKindRoute } from '../tasks/task-kinds';
import type { ScopeProcess } from './scope.process';

const OUTCOMES: Partial<Record<TaskOutcome, HumanTaskOutcome>> = { approve: 'approved', reject: 'rejected' };

export const SCOPE_TASK_ROUTES: readonly TaskKindRoute<ScopeProcess>[] = [
  {
    kinds: ['aims_scope_approval'],
    outcomes: ['approve', 'reject'],
    fields: ['reasons'],
    summary: 'A proposed AIMS scope statement; approve puts it in force as the next version (top management), reject needs reasons.',
    async decide(scope, task, body, by) {
      const outcome = OUTCOMES[body.outcome] as HumanTaskOutcome;
      const answer = await scope.decideStatement(by, task.taskId, outcome, body.reasons === undefined ? [] : [...body.reasons]);
      return { ...answer, taskId: task.taskId, kind: 'aims_scope_approval', outcome, stream: task.stream };
    },
  },
  {
    kinds: ['ai_system_scope_decision'],
    outcomes: ['approve', 'reject'],
    fields: ['reasons', 'comment'],
    summary:
      'A registered AI system the scope statement does not name: approve puts it in the AIMS scope, reject puts it out; the reasons or comment justify it.',
    async decide(scope, task, body, by) {
      const systemId = typeof task.subject.systemId === 'string' ? task.subject.systemId : '';
      const justification = [...(body.reasons ?? []), ...(typeof body.comment === 'string' ? [body.comment] : [])].join('; ');
      if (justification.trim() === '') throw invalidField('reasons', 'a scope decision says why (reasons or comment)');
      const inScope = body.outcome === 'approve';
      const answer = await scope.decideSystem({ by, systemId, inScope, justification });
      return {
        ...answer,
        taskId: task.taskId,
        kind: 'ai_system_scope_decision',
        outcome: inScope ? 'approved' : 'rejected',
        stream: task.stream,
      };
    },
  },
];
