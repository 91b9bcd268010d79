/**
 * The context registers' task in the one inbox: the review of an entry whose review date came within the
 * notice period (its owner's, reminded and escalated like every task). Approving it records the review:
 * the comment is what the review found, `reviewBy` the next review date. A new version of the entry
 * answers it too (POST /v1/context/{register}/{entryId}/versions).
 */
import { invalidField } from '../common/problems';
import type { TaskKindRoute } from '../tasks/task-kinds';
import type { ContextProcess } from './context.process';

export const CONTEXT_TASK_ROUTES: readonly TaskKindRoute<ContextProcess>[] = [
  {
    kinds: ['context_entry_review'],
    outcomes: ['approve'],
    fields: ['comment', 'reviewBy'],
    summary:
      'The review of a context entry that fell due (its owner, or anyone who keeps the registers): approve confirms it still holds; comment says what the review found, reviewBy the next review date.',
    async decide(context, task, body, by) {
      const entryId = typeof task.subject.entryId === 'string' ? task.subject.entryId : '';
      if (typeof body.comment !== 'string' || body.comment.trim() === '') throw invalidField('comment', 'must say what the review found');
      if (body.reviewBy === undefined) throw invalidField('reviewBy', 'must give the next review date, YYYY-MM-DD');
      const answer = await context.review({ by, entryId, reviewBy: body.reviewBy, note: body.comment });
      return { ...answer, taskId: task.taskId, kind: 'context_entry_review', outcome: 'approved', stream: task.stream };
    },
  },
];
