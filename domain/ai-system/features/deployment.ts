/**
 * Deployment (A.6.2.5): a request runs the deployment gate (deployment-gate.ts) and is approved by policy,
 * blocked with every reason, or left pending on an approval task; the pipeline then reports an approved
 * deployment completed, which puts the version in production. A pending or approved request whose basis
 * has gone (newer version, outdated assessment, decommissioning) is blocked and its task closed.
 */
import { isSystemIdentity, normaliseIdentity, sameIdentity } from '../../shared/actor-identity';
import { isSha256Digest } from '../../shared/artifact-digest';
import { SYSTEM_ACTOR, type ActorRef } from '../../shared/roles';
import { ValidationIssues } from '../../shared/validation';
import { assertNever, err, ok } from '../../shared/result';
import type * as C from '../commands';
import { deploymentGateChecks, evaluateDeploymentRequest, type DeploymentRequest } from '../deployment-gate';
import { aiSystemError, invalid } from '../errors';
import type * as E from '../events';
import type { AiSystemEvent } from '../events';
import type { AiSystemRecord, DeploymentRequestRecord } from '../model';
import { findDeploymentRequest } from '../queries';
import {
  actorOf,
  duplicate,
  invalidDigest,
  stageChange,
  supersede,
  supersededSubject,
  taskIdProblem,
  updateRequest,
  updateVersion,
} from './common';
import type { DecideResult, Feature, TaskDecision, TaskOf } from './feature';

function requestOf(r: {
  requestId: string;
  modelVersion: string;
  artifactDigest: string;
  environment: string;
  commit: string;
  requestedBy: ActorRef;
  requestedAt: string;
  approvalTaskId: string | null;
}): DeploymentRequest {
  return {
    requestId: r.requestId,
    modelVersion: r.modelVersion,
    artifactDigest: r.artifactDigest,
    environment: r.environment,
    commit: r.commit,
    requestedBy: r.requestedBy,
    requestedAt: r.requestedAt,
    approvalTaskId: r.approvalTaskId ?? '',
    approval: null,
  };
}

/** Longest `triggeredBy` accepted (an identity, like a token name or a JWT subject). */
export const TRIGGERED_BY_MAX = 200;

/** `triggeredBy` names a person: a non-empty identity of bounded length, never a system actor. */
function checkTriggeredBy(p: ValidationIssues, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || value.trim() === '' || value.length > TRIGGERED_BY_MAX) {
    p.add('triggeredBy', `must be a non-empty identity of at most ${TRIGGERED_BY_MAX} characters when given`);
  } else if (isSystemIdentity(value)) {
    p.add('triggeredBy', "names a person; identities in the aims: namespace are the engine's own");
  }
}

/**
 * The same request from the same caller: same content, and the requester and the person behind the
 * pipeline run the same identities. Another caller's request under the same id is never "the same".
 */
function isSameRequest(r: DeploymentRequestRecord, c: C.RequestDeployment, callerId: string): boolean {
  const triggered = (x: string | undefined) => (x === undefined ? null : normaliseIdentity(x));
  return (
    sameIdentity(r.requestedBy.id, callerId) &&
    r.modelVersion === c.modelVersion &&
    r.artifactDigest === c.artifactDigest &&
    r.environment === c.environment &&
    r.commit === c.commit &&
    triggered(r.triggeredBy) === triggered(c.triggeredBy)
  );
}

function requestDeployment(c: C.RequestDeployment, s: AiSystemRecord): DecideResult {
  const p = new ValidationIssues();
  p.text('requestId', c.requestId);
  p.text('modelVersion', c.modelVersion);
  p.text('environment', c.environment);
  p.text('commit', c.commit);
  p.text('approvalTaskId', c.approvalTaskId);
  checkTriggeredBy(p, c.triggeredBy);
  if (!p.empty) return err(invalid(c.type, p.list));
  if (!isSha256Digest(c.artifactDigest)) return err(invalidDigest(c.artifactDigest));
  const by = actorOf(c);
  const existing = findDeploymentRequest(s, c.requestId);
  if (existing) {
    // A retry is answered from the record, and the repeat is itself recorded (who asked again, when).
    if (!isSameRequest(existing, c, by.id)) return err(duplicate('deployment request', c.requestId));
    return ok([
      {
        type: 'DeploymentRequestRepeated',
        requestId: existing.requestId,
        modelVersion: existing.modelVersion,
        artifactDigest: existing.artifactDigest,
        environment: existing.environment,
        status: existing.status,
        by,
        at: c.at,
      },
    ]);
  }
  const request: DeploymentRequest = {
    requestId: c.requestId,
    modelVersion: c.modelVersion,
    artifactDigest: c.artifactDigest,
    environment: c.environment,
    commit: c.commit,
    requestedBy: by,
    requestedAt: c.at,
    approvalTaskId: c.approvalTaskId,
    approval: null,
  };
  const decision = evaluateDeploymentRequest(s, request, s.policy, c.at);
  if (decision.outcome === 'pending') {
    const taskProblem = taskIdProblem(s, c.type, c.approvalTaskId, 'approvalTaskId');
    if (taskProblem) return err(taskProblem);
  }
  const ref = { requestId: c.requestId, modelVersion: c.modelVersion, artifactDigest: c.artifactDigest, environment: c.environment };
  const requested: E.DeploymentRequested = {
    type: 'DeploymentRequested',
    ...ref,
    commit: c.commit,
    approvalTaskId: decision.outcome === 'pending' ? c.approvalTaskId : null,
    // Only when given, so a request without it records exactly what it always did.
    ...(c.triggeredBy === undefined ? {} : { triggeredBy: c.triggeredBy.trim() }),
    by,
    at: c.at,
  };
  switch (decision.outcome) {
    case 'allowed':
      return ok([requested, { type: 'DeploymentApproved', ...ref, approval: decision.approval, by: decision.approval.by, at: c.at }]);
    case 'blocked':
      return ok([requested, { type: 'DeploymentBlocked', ...ref, reasons: decision.reasons, by: SYSTEM_ACTOR, at: c.at }]);
    case 'pending':
      return ok([requested, { type: 'HumanTaskOpened', ...decision.task, by, at: c.at }]);
    default:
      return assertNever(decision, 'gate decision');
  }
}

function recordDeploymentCompleted(c: C.RecordDeploymentCompleted, s: AiSystemRecord): DecideResult {
  const r = findDeploymentRequest(s, c.requestId);
  if (!r)
    return err(aiSystemError('DEPLOYMENT_REQUEST_UNKNOWN', `There is no deployment request ${c.requestId}.`, { requestId: c.requestId }));
  if (r.status === 'completed') {
    return err(
      aiSystemError('DEPLOYMENT_ALREADY_COMPLETED', `Deployment ${c.requestId} was already completed at ${r.completedAt ?? ''}.`, {
        requestId: c.requestId,
      }),
    );
  }
  if (r.status !== 'approved' || r.approval === null) {
    return err(
      aiSystemError(
        'DEPLOYMENT_NOT_APPROVED',
        `Deployment ${c.requestId} is ${r.status.replace(/_/g, ' ')}, not approved; it cannot be recorded as deployed.`,
        { requestId: c.requestId, status: r.status, reasons: r.blockReasons },
      ),
    );
  }
  const reasons = deploymentGateChecks(s, r, c.at);
  if (reasons.length > 0) {
    return err(
      aiSystemError(
        'DEPLOYMENT_NO_LONGER_ALLOWED',
        `Deployment ${c.requestId} no longer passes the gate: ${reasons.map((x) => x.message).join(' ')}`,
        {
          requestId: c.requestId,
          reasons,
        },
      ),
    );
  }
  const by = actorOf(c);
  const production = s.policy.productionEnvironments.includes(r.environment);
  const replaced = production && s.production !== null && s.production.modelVersion !== r.modelVersion ? s.production.modelVersion : null;
  return ok([
    {
      type: 'DeploymentCompleted',
      requestId: r.requestId,
      modelVersion: r.modelVersion,
      artifactDigest: r.artifactDigest,
      environment: r.environment,
      commit: r.commit,
      production,
      replacedVersion: replaced,
      by,
      at: c.at,
    },
    ...(production && s.stage === 'deployment_approval' ? stageChange(s, 'in_production', 'DeploymentCompleted', by, c.at) : []),
  ]);
}

function blocked(
  r: { requestId: string; modelVersion: string; artifactDigest: string; environment: string },
  reasons: E.DeploymentBlocked['reasons'],
  at: string,
): E.DeploymentBlocked {
  return {
    type: 'DeploymentBlocked',
    requestId: r.requestId,
    modelVersion: r.modelVersion,
    artifactDigest: r.artifactDigest,
    environment: r.environment,
    reasons,
    by: SYSTEM_ACTOR,
    at,
  };
}

function approvalDecided(t: TaskOf<'deployment'>, { outcome, reasons, by, at }: TaskDecision, s: AiSystemRecord): DecideResult {
  const subject = t.subject;
  const r = findDeploymentRequest(s, subject.requestId);
  if (!r || r.status !== 'pending_approval')
    return err(supersededSubject(t, `deployment request ${subject.requestId} is ${r?.status ?? 'unknown'}`));
  const ref = {
    requestId: r.requestId,
    modelVersion: r.modelVersion,
    artifactDigest: r.artifactDigest,
    environment: r.environment,
    by,
    at,
  };
  if (outcome !== 'approved') {
    return ok([
      {
        type: 'DeploymentBlocked',
        ...ref,
        reasons: [{ code: 'DEPLOYMENT_APPROVAL_REFUSED', message: `${by.id} refused the deployment: ${reasons.join('; ')}` }],
      },
    ]);
  }
  const approval = { by, at, automatic: false, taskId: t.taskId };
  const decision = evaluateDeploymentRequest(s, { ...requestOf(r), approval }, s.policy, at);
  if (decision.outcome === 'blocked') return ok([{ type: 'DeploymentBlocked', ...ref, reasons: decision.reasons }]);
  return ok([{ type: 'DeploymentApproved', ...ref, approval }]);
}

export const deployment = {
  decide: { RequestDeployment: requestDeployment, RecordDeploymentCompleted: recordDeploymentCompleted },
  evolve: {
    DeploymentRequested: (s, e) => ({
      ...s,
      deploymentRequests: [
        ...s.deploymentRequests,
        {
          requestId: e.requestId,
          modelVersion: e.modelVersion,
          artifactDigest: e.artifactDigest,
          environment: e.environment,
          commit: e.commit,
          requestedBy: e.by,
          ...(e.triggeredBy === undefined ? {} : { triggeredBy: e.triggeredBy }),
          requestedAt: e.at,
          approvalTaskId: e.approvalTaskId,
          status: 'pending_approval',
          approval: null,
          blockReasons: [],
          completedAt: null,
        },
      ],
    }),
    // The repeat is evidence only: the request stands where it stood.
    DeploymentRequestRepeated: (s) => s,
    DeploymentApproved: (s, e) =>
      updateVersion(
        updateRequest(s, e.requestId, (r) => ({ ...r, status: 'approved', approval: e.approval })),
        e.modelVersion,
        (v) => (v.status === 'validated' ? { ...v, status: 'approved_for_deployment' } : v),
      ),
    DeploymentBlocked: (s, e) => updateRequest(s, e.requestId, (r) => ({ ...r, status: 'blocked', blockReasons: e.reasons })),
    DeploymentCompleted: (s, e) => {
      const next = updateRequest(s, e.requestId, (r) => ({ ...r, status: 'completed', completedAt: e.at }));
      if (!e.production) {
        return updateVersion(next, e.modelVersion, (v) =>
          v.deployedEnvironments.includes(e.environment) ? v : { ...v, deployedEnvironments: [...v.deployedEnvironments, e.environment] },
        );
      }
      const retired = e.replacedVersion === null ? next : updateVersion(next, e.replacedVersion, (v) => ({ ...v, status: 'retired' }));
      return {
        ...updateVersion(retired, e.modelVersion, (v) => ({ ...v, status: 'in_production' })),
        production: {
          modelVersion: e.modelVersion,
          artifactDigest: e.artifactDigest,
          environment: e.environment,
          requestId: e.requestId,
          since: e.at,
        },
      };
    },
  },
  onTaskDecided: { deployment: approvalDecided },
  reconcileTask: {
    // An approval task for a request the gate would now block: the request is blocked and the task closed.
    deployment: (t, s, at) => {
      const r = findDeploymentRequest(s, t.subject.requestId);
      if (!r || r.status !== 'pending_approval') return [];
      const reasons = deploymentGateChecks(s, r, at);
      return reasons.length === 0 ? [] : [supersede(t.taskId, reasons.map((x) => x.message).join(' '), at), blocked(r, reasons, at)];
    },
  },
  // An approved deployment not yet completed is withdrawn the same way once the gate would block it.
  reconcile: (s, at) => {
    const events: AiSystemEvent[] = [];
    for (const r of s.deploymentRequests) {
      if (r.status !== 'approved') continue;
      const reasons = deploymentGateChecks(s, r, at);
      if (reasons.length > 0) events.push(blocked(r, reasons, at));
    }
    return events;
  },
} satisfies Feature;
