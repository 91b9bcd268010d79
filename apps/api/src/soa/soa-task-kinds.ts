/**
 * The SoA's tasks in the one inbox: a revision's review (AIMS owner or risk owner) and approval (top
 * management), never by its proposer (the domain refuses it); a revision request, dismissed with reasons
 * (it is answered by proposing a revision that names it).
 */
import type { HumanTaskOutcome } from '../../../../domain/shared/human-task';
import type { TaskOutcome } from '../tasks/task-decisions.dto';
import type { TaskKindRoute } from '../tasks/task-kinds';
import type { SoaProcess } from './soa.process';

const OUTCOMES: Partial<Record<TaskOutcome, HumanTaskOutcome>> = { approve: 'approved', reject: 'rejected' };

export const SOA_TASK_ROUTES: readonly TaskKindRoute<SoaProcess>[] = [
  {
    kinds: ['soa_revision_review'],
    outcomes: ['approve', 'reject'],
    fields: ['reasons'],
    summary: 'A proposed revision of the Statement of Applicability; approve sends it to top management, reject (with reasons) ends it.',
    async decide(soa, task, body, by) {
      const outcome = OUTCOMES[body.outcome] as HumanTaskOutcome;
      const answer = await soa.review(by, task.taskId, outcome, body.reasons === undefined ? [] : [...body.reasons]);
      return { ...answer, taskId: task.taskId, kind: 'soa_revision_review', outcome, stream: task.stream };
    },
  },
  {
    kinds: ['soa_revision_approval'],
    outcomes: ['approve', 'reject'],
    fields: ['reasons'],
    summary: 'A reviewed revision of the Statement of Applicability; approve puts it in force (top management), reject needs reasons.',
    async decide(soa, task, body, by) {
      const outcome = OUTCOMES[body.outcome] as HumanTaskOutcome;
      const answer = await soa.approve(by, task.taskId, outcome, body.reasons === undefined ? [] : [...body.reasons]);
      return { ...answer, taskId: task.taskId, kind: 'soa_revision_approval', outcome, stream: task.stream };
    },
  },
  {
    kinds: ['soa_revision_request'],
    outcomes: ['reject'],
    fields: ['reasons'],
    summary:
      'A request to revise the SoA (e.g. a risk treatment added a control): reject dismisses it with reasons; a proposed revision naming it answers it.',
    async decide(soa, task, body, by) {
      const answer = await soa.dismiss(by, task.taskId, body.reasons === undefined ? [] : [...body.reasons]);
      return { ...answer, taskId: task.taskId, kind: 'soa_revision_request', outcome: 'rejected', stream: task.stream };
    },
  },
];
