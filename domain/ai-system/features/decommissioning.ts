/**
 * Decommissioning: a request opens an approval task and moves the stage (new work is then refused);
 * approval lets completion record the data-retention decision, retire the version in production and close
 * every open task. A rejection returns the stage to where it was.
 */
import { ValidationIssues } from '../../shared/validation';
import { err, ok } from '../../shared/result';
import type * as C from '../commands';
import type { AiSystemCommandType } from '../commands';
import { aiSystemError, invalid } from '../errors';
import { checkDataRetention } from '../input-checks';
import type { AiSystemRecord } from '../model';
import {
  actorOf,
  duplicate,
  notInStage,
  openTask,
  stageChange,
  supersede,
  supersededSubject,
  taskIdProblem,
  updateVersion,
} from './common';
import type { DecideResult, Feature, TaskDecision, TaskOf } from './feature';

/** Commands refused while a decommissioning request is open: they would start work that is ending. */
export const REFUSED_WHILE_DECOMMISSIONING: ReadonlySet<AiSystemCommandType> = new Set<AiSystemCommandType>([
  'SubmitImpactAssessment',
  'RecordDataset',
  'RecordDataQualityCheck',
  'ProposeModelVersion',
  'RecordValidationResults',
  'EvaluateAcceptanceCriteria',
  'RecordChange',
  'RecordResources',
  'RequestDecommissioning',
]);

function requestDecommissioning(c: C.RequestDecommissioning, s: AiSystemRecord): DecideResult {
  const p = new ValidationIssues();
  p.text('requestId', c.requestId);
  p.text('reason', c.reason);
  if (!p.empty) return err(invalid(c.type, p.list));
  if (s.decommissioning?.requestId === c.requestId) return err(duplicate('decommissioning request', c.requestId));
  const taskProblem = taskIdProblem(s, c.type, c.approvalTaskId, 'approvalTaskId');
  if (taskProblem) return err(taskProblem);
  const by = actorOf(c);
  return ok([
    {
      type: 'DecommissioningRequested',
      requestId: c.requestId,
      reason: c.reason,
      approvalTaskId: c.approvalTaskId,
      stageBefore: s.stage,
      by,
      at: c.at,
    },
    openTask(
      s,
      {
        taskId: c.approvalTaskId,
        kind: 'decommissioning_approval',
        subject: { type: 'decommissioning', requestId: c.requestId },
        requestedBy: c.by.id,
      },
      by,
      c.at,
    ),
    ...stageChange(s, 'decommissioning', 'DecommissioningRequested', by, c.at),
  ]);
}

function completeDecommissioning(c: C.CompleteDecommissioning, s: AiSystemRecord): DecideResult {
  const p = new ValidationIssues();
  checkDataRetention(p, c.dataRetention);
  if (!p.empty) return err(invalid(c.type, p.list));
  if (s.stage !== 'decommissioning' || s.decommissioning === null) return err(notInStage(c.type, s, ['decommissioning']));
  const d = s.decommissioning;
  if (d.status !== 'approved') {
    return err(
      aiSystemError('DECOMMISSIONING_NOT_APPROVED', `Decommissioning request ${d.requestId} is ${d.status}, not approved.`, {
        requestId: d.requestId,
        status: d.status,
        approvalTaskId: d.approvalTaskId,
      }),
    );
  }
  const by = actorOf(c);
  const superseded = s.tasks.filter((t) => t.status === 'open').map((t) => supersede(t.taskId, 'the AI system was decommissioned', c.at));
  return ok([
    ...superseded,
    {
      type: 'AiSystemDecommissioned',
      requestId: d.requestId,
      reason: d.reason,
      dataRetention: {
        decision: c.dataRetention.decision,
        retainUntil: c.dataRetention.retainUntil ?? null,
        justification: c.dataRetention.justification,
      },
      retiredVersion: s.production?.modelVersion ?? null,
      by,
      at: c.at,
    },
    ...stageChange(s, 'decommissioned', 'AiSystemDecommissioned', by, c.at),
  ]);
}

function approvalDecided(t: TaskOf<'decommissioning'>, { outcome, reasons, by, at }: TaskDecision, s: AiSystemRecord): DecideResult {
  const d = s.decommissioning;
  if (!d || d.requestId !== t.subject.requestId || d.status !== 'requested') {
    return err(supersededSubject(t, `decommissioning request ${t.subject.requestId} is no longer open`));
  }
  if (outcome === 'approved') return ok([{ type: 'DecommissioningApproved', requestId: d.requestId, by, at }]);
  return ok([
    { type: 'DecommissioningRejected', requestId: d.requestId, reasons, by, at },
    ...stageChange(s, d.stageBefore, 'DecommissioningRejected', by, at),
  ]);
}

export const decommissioning = {
  decide: { RequestDecommissioning: requestDecommissioning, CompleteDecommissioning: completeDecommissioning },
  evolve: {
    DecommissioningRequested: (s, e) => ({
      ...s,
      decommissioning: {
        requestId: e.requestId,
        reason: e.reason,
        requestedBy: e.by,
        requestedAt: e.at,
        approvalTaskId: e.approvalTaskId,
        stageBefore: e.stageBefore,
        status: 'requested',
        decidedBy: null,
        reasons: [],
        dataRetention: null,
        completedAt: null,
      },
    }),
    DecommissioningApproved: (s, e) =>
      s.decommissioning === null ? s : { ...s, decommissioning: { ...s.decommissioning, status: 'approved', decidedBy: e.by } },
    DecommissioningRejected: (s, e) =>
      s.decommissioning === null
        ? s
        : { ...s, decommissioning: { ...s.decommissioning, status: 'rejected', decidedBy: e.by, reasons: e.reasons } },
    AiSystemDecommissioned: (s, e) => {
      const next = e.retiredVersion === null ? s : updateVersion(s, e.retiredVersion, (v) => ({ ...v, status: 'retired' }));
      return {
        ...next,
        production: null,
        decommissioning:
          next.decommissioning === null
            ? null
            : { ...next.decommissioning, status: 'completed', dataRetention: e.dataRetention, completedAt: e.at },
      };
    },
  },
  onTaskDecided: { decommissioning: approvalDecided },
} satisfies Feature;
