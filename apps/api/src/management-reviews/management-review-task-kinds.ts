/**
 * The management review's tasks in the one inbox (9.3): the minutes (outcome `record`, with `attendees` and
 * `minutes`), and the sign-off (outcome `approve`; the decisions are recorded before it at
 * POST /v1/management-reviews/{id}/decisions). Who may take each step (top management, the AIMS owner for
 * the minutes; only top management who attended signs off) is the review's rule, checked by its workflow as
 * for the review's own endpoints.
 */
import { MANAGEMENT_REVIEW_CATEGORY } from '../../../../domain/management-review/model';
import { recordReviewMinutesUpdate, signOffReviewUpdate } from '../../../../workflows/management-review.messages';
import { invalidField } from '../common/problems';
import type { TaskKindRoute } from '../tasks/task-kinds';
import type { ManagementReviewProcess } from './management-review.process';

function reviewIdOf(stream: string): string {
  const prefix = `${MANAGEMENT_REVIEW_CATEGORY}-`;
  return stream.startsWith(prefix) ? stream.slice(prefix.length) : '';
}

export const MANAGEMENT_REVIEW_TASK_ROUTES: readonly TaskKindRoute<ManagementReviewProcess>[] = [
  {
    kinds: ['management_review_minutes'],
    outcomes: ['record'],
    fields: ['attendees', 'minutes'],
    summary: "A management review's attendees (the chair among them) and minutes (top management or the AIMS owner).",
    async decide(reviews, task, body, by) {
      if (body.attendees === undefined) throw invalidField('attendees', 'the minutes name who attended');
      if (body.minutes === undefined) throw invalidField('minutes', 'the minutes are recorded with their text');
      const answer = await reviews.send(reviewIdOf(task.stream), recordReviewMinutesUpdate, {
        by,
        attendees: [...body.attendees],
        minutes: body.minutes,
      });
      return { ...answer, taskId: task.taskId, kind: 'management_review_minutes', outcome: 'recorded', stream: task.stream };
    },
  },
  {
    kinds: ['management_review_sign_off'],
    outcomes: ['approve'],
    fields: [],
    summary:
      'Sign a management review off (top management who attended; its decisions are recorded first at POST /v1/management-reviews/{id}/decisions).',
    async decide(reviews, task, _body, by) {
      const answer = await reviews.send(reviewIdOf(task.stream), signOffReviewUpdate, { by });
      return { ...answer, taskId: task.taskId, kind: 'management_review_sign_off', outcome: 'signed_off', stream: task.stream };
    },
  },
];
