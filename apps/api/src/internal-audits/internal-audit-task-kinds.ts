/**
 * The internal audit's task in the one inbox: its follow-up (9.2.1, 10.2), the lead auditor's, done by closing
 * the audit (outcome `complete`). Whether it may close now (each nonconformity closed or with an approved
 * plan) and who may close it (the audit team) are the audit's rules, checked by its workflow as for
 * POST /v1/internal-audits/{id}/closure.
 */
import { AUDIT_FOLLOW_UP_TASK_KIND, INTERNAL_AUDIT_CATEGORY } from '../../../../domain/internal-audit/model';
import { closeAuditUpdate } from '../../../../workflows/internal-audit.messages';
import type { TaskKindRoute } from '../tasks/task-kinds';
import type { InternalAuditProcess } from './internal-audit.process';

export const INTERNAL_AUDIT_TASK_ROUTES: readonly TaskKindRoute<InternalAuditProcess>[] = [
  {
    kinds: [AUDIT_FOLLOW_UP_TASK_KIND],
    outcomes: ['complete'],
    fields: [],
    summary: "An internal audit's follow-up, done by closing the audit (its team; each nonconformity closed or with an approved plan).",
    async decide(audits, task, _body, by) {
      const prefix = `${INTERNAL_AUDIT_CATEGORY}-`;
      const auditId = task.stream.startsWith(prefix) ? task.stream.slice(prefix.length) : '';
      const answer = await audits.send(auditId, closeAuditUpdate, { by });
      return { ...answer, taskId: task.taskId, kind: AUDIT_FOLLOW_UP_TASK_KIND, outcome: 'closed', stream: task.stream };
    },
  },
];
