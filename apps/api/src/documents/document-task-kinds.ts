/**
 * A document's tasks in the one inbox: a version's review (approve, request changes, reject: back to its
 * author with reasons), its approval by the role the kind requires, the periodic review (approve confirms
 * the version in force; a new version answers it too), and each person's acknowledgement (complete).
 */
import { documentIdOfStream } from '../../../../domain/document/identity';
import type { HumanTaskOutcome } from '../../../../domain/shared/human-task';
import type { TaskOutcome } from '../tasks/task-decisions.dto';
import type { TaskKindRoute } from '../tasks/task-kinds';
import type { DocumentProcess } from './document.process';

const OUTCOMES: Partial<Record<TaskOutcome, HumanTaskOutcome>> = {
  approve: 'approved',
  reject: 'rejected',
  request_changes: 'changes_requested',
};

const documentOf = (stream: string): string => documentIdOfStream(stream) ?? '';

export const DOCUMENT_TASK_ROUTES: readonly TaskKindRoute<DocumentProcess>[] = [
  {
    kinds: ['document_review', 'document_approval'],
    outcomes: ['approve', 'request_changes', 'reject'],
    fields: ['reasons'],
    summary:
      "A document version's review (anyone with a governance role but its author) or approval (top management for the AI policy and the AIMS scope, the AIMS owner otherwise); approving the approval publishes it; request_changes and reject go back to the author with reasons.",
    async decide(documents, task, body, by) {
      const outcome = OUTCOMES[body.outcome] as HumanTaskOutcome;
      const answer = await documents.decideTask(
        documentOf(task.stream),
        by,
        task.taskId,
        outcome,
        body.reasons === undefined ? [] : [...body.reasons],
        null,
      );
      return { ...answer, taskId: task.taskId, kind: task.kind, outcome, stream: task.stream };
    },
  },
  {
    kinds: ['document_periodic_review'],
    outcomes: ['approve'],
    fields: ['comment'],
    summary:
      'The periodic review of a document in force: approve confirms it stays as it is (comment: what the review found); a new version answers it too.',
    async decide(documents, task, body, by) {
      const answer = await documents.decideTask(documentOf(task.stream), by, task.taskId, 'approved', [], body.comment ?? null);
      return { ...answer, taskId: task.taskId, kind: task.kind, outcome: 'approved', stream: task.stream };
    },
  },
  {
    kinds: ['document_acknowledgement'],
    outcomes: ['complete'],
    fields: [],
    summary: 'Acknowledge having read the published version (7.3): only the person the task names.',
    async decide(documents, task, _body, by) {
      const answer = await documents.acknowledge(documentOf(task.stream), by, task.taskId);
      return { ...answer, taskId: task.taskId, kind: task.kind, outcome: 'approved', stream: task.stream };
    },
  },
];
