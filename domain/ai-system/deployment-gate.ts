/**
 * The deployment gate (A.6.2.5): a pure decision over the state. A request is allowed only when the
 * impact assessment is approved and current, validation passed and was signed off for that exact artifact
 * digest under that assessment, and deployment approval is given, by a person or, for the risk tiers the
 * policy names, by the policy itself once every check passes; and no risk of the system reports that it
 * blocks deployment (queries.ts, features/risk-posture.ts). A blocked request lists every reason.
 */
import type { ActorRef, AimsRole } from '../shared/roles';
import type { RiskDeploymentBlocker } from '../shared/risk-links';
import { addMilliseconds } from '../shared/iso-time';
import { isSha256Digest } from '../shared/artifact-digest';
import type { AiSystemRecord, AiSystemTaskSubject, DeploymentApproval, DeploymentBlockReason } from './model';
import type { LifecyclePolicy } from './policy';
import { blockingRiskPostures, findVersion, impactAssessmentCurrency } from './queries';

export type DeploymentRequest = {
  requestId: string;
  modelVersion: string;
  artifactDigest: string;
  environment: string;
  commit: string;
  requestedBy: ActorRef;
  requestedAt: string;
  /** Id for the approval task, should one be needed. */
  approvalTaskId: string;
  /** A person's approval already given, or null. */
  approval: DeploymentApproval | null;
};

/** The task a pending request opens: the fields of `HumanTaskOpened`. */
export type TaskToOpen = {
  taskId: string;
  kind: 'deployment_approval';
  requiredRoles: AimsRole[];
  subject: AiSystemTaskSubject;
  requestedBy: string;
  dueAt: string;
};

export type DeploymentGateDecision =
  | { outcome: 'allowed'; approval: DeploymentApproval }
  | { outcome: 'blocked'; reasons: DeploymentBlockReason[] }
  | { outcome: 'pending'; task: TaskToOpen };

/** Actor recorded when the policy approves a deployment on its own. */
export const POLICY_AUTO_APPROVER: ActorRef = { id: 'aims:policy:auto-approval', role: 'system' };

type RequestFacts = Pick<DeploymentRequest, 'modelVersion' | 'artifactDigest'>;

/**
 * Every check except approval, at instant `at`: the reasons the request cannot go ahead (empty when it
 * can, subject to approval).
 */
export function deploymentGateChecks(state: AiSystemRecord, request: RequestFacts, at: string): DeploymentBlockReason[] {
  const reasons: DeploymentBlockReason[] = [];
  const block = (code: DeploymentBlockReason['code'], message: string) => reasons.push({ code, message });

  if (state.stage === 'decommissioned') block('SYSTEM_DECOMMISSIONED', 'The AI system has been decommissioned.');
  if (state.stage === 'decommissioning') block('SYSTEM_DECOMMISSIONING', 'The AI system is being decommissioned.');
  if (state.profile.riskTier === 'unacceptable') {
    block('PROHIBITED_RISK_TIER', 'The AI system is classed as unacceptable risk and may not be deployed.');
  }

  const ia = impactAssessmentCurrency(state, at);
  if (!ia.current) {
    if (ia.why === 'missing') block('IMPACT_ASSESSMENT_MISSING', 'No impact assessment has been approved for this AI system.');
    else if (ia.why === 'outdated') {
      block(
        'IMPACT_ASSESSMENT_NOT_CURRENT',
        `Impact assessment ${ia.assessment?.assessmentId ?? ''} predates a significant change and must be redone.`,
      );
    } else {
      block(
        'IMPACT_ASSESSMENT_NOT_CURRENT',
        `Impact assessment ${ia.assessment?.assessmentId ?? ''} has passed the policy's validity period.`,
      );
    }
  }

  const digestValid = isSha256Digest(request.artifactDigest);
  if (!digestValid) block('INVALID_ARTIFACT_DIGEST', `"${request.artifactDigest}" is not an artifact digest of the form sha256:<64 hex>.`);

  const version = findVersion(state, request.modelVersion);
  if (!version) block('MODEL_VERSION_UNKNOWN', `Model version ${request.modelVersion} has not been proposed for this AI system.`);
  else {
    if (version.status === 'superseded') {
      block(
        'MODEL_VERSION_SUPERSEDED',
        `Model version ${request.modelVersion} was superseded by a newer version before reaching production.`,
      );
    }
    if (digestValid && version.artifactDigest !== request.artifactDigest) {
      block(
        'ARTIFACT_DIGEST_MISMATCH',
        `Model version ${request.modelVersion} has artifact digest ${version.artifactDigest}, not ${request.artifactDigest}.`,
      );
    }
  }

  if (digestValid) {
    const forDigest = state.validations.filter((v) => v.artifactDigest === request.artifactDigest);
    const signedOff = forDigest.filter((v) => v.status === 'signed_off');
    const currentIaId = state.approvedImpactAssessmentId;
    if (forDigest.length === 0) {
      block('VALIDATION_MISSING', `No validation has been recorded for artifact ${request.artifactDigest}.`);
    } else if (signedOff.length > 0) {
      if (!signedOff.some((v) => v.impactAssessmentId === currentIaId)) {
        block(
          'VALIDATION_OUTDATED',
          `The signed-off validation of artifact ${request.artifactDigest} was made under an earlier impact assessment; validate it again.`,
        );
      }
    } else if (forDigest.some((v) => v.status === 'awaiting_sign_off' || v.status === 'sign_off_refused')) {
      block('VALIDATION_NOT_SIGNED_OFF', `Validation of artifact ${request.artifactDigest} passed but has no validator's sign-off.`);
    } else {
      block('VALIDATION_NOT_PASSED', `Validation of artifact ${request.artifactDigest} has not passed its acceptance criteria.`);
    }
  }
  // Only records with a noted posture have any, so the gate of every earlier run answers as it did.
  const blocking = blockingRiskPostures(state);
  if (blocking.length > 0) {
    const why = blocking.map((r) => `risk ${r.riskId} (level ${r.level}): ${r.blockers.map(describeBlocker).join(', ')}`);
    reasons.push({
      code: 'RISK_BLOCKS_DEPLOYMENT',
      message: `${blocking.length === 1 ? 'A risk of this AI system blocks' : 'Risks of this AI system block'} deployment: ${why.join('; ')}.`,
      riskIds: blocking.map((r) => r.riskId),
    });
  }
  // Only records with a noted scope decision have one, so the gate of every earlier run answers as it did.
  const scope = state.aimsScope;
  if (scope?.inScope === false) {
    const basis =
      scope.basis.kind === 'statement' ? `scope statement version ${scope.basis.version}` : `${scope.basis.id} (${scope.basis.role})`;
    reasons.push({
      code: 'OUT_OF_AIMS_SCOPE',
      message: `The AI system is outside the scope of the AI management system (decided by ${basis}: ${scope.justification}).`,
      scopeDecision: { causeEventId: scope.causeEventId, basis: scope.basis, justification: scope.justification },
    });
  }
  return reasons;
}

function describeBlocker(blocker: RiskDeploymentBlocker): string {
  switch (blocker) {
    case 'above-appetite-not-accepted':
      return 'above the risk appetite with no accepted residual level';
    case 'treatment-action-overdue':
      return 'a treatment action is overdue';
  }
}

/**
 * The gate's decision for a request at `at` (default: when it was made). With no approval yet, a request
 * that passes every check is allowed by policy for the auto-approved risk tiers, or else pending with
 * the approval task to open.
 */
export function evaluateDeploymentRequest(
  state: AiSystemRecord,
  request: DeploymentRequest,
  policy: LifecyclePolicy,
  at: string = request.requestedAt,
): DeploymentGateDecision {
  const reasons = deploymentGateChecks(state, request, at);
  if (reasons.length > 0) return { outcome: 'blocked', reasons };
  if (request.approval !== null) return { outcome: 'allowed', approval: request.approval };
  if (policy.autoApproveRiskTiers.includes(state.profile.riskTier)) {
    return { outcome: 'allowed', approval: { by: POLICY_AUTO_APPROVER, at, automatic: true, taskId: null } };
  }
  return {
    outcome: 'pending',
    task: {
      taskId: request.approvalTaskId,
      kind: 'deployment_approval',
      requiredRoles: [...policy.taskRoles.deployment_approval],
      subject: {
        type: 'deployment',
        requestId: request.requestId,
        modelVersion: request.modelVersion,
        artifactDigest: request.artifactDigest,
        environment: request.environment,
      },
      requestedBy: request.requestedBy.id,
      dueAt: addMilliseconds(at, policy.taskResponseTimeMs.deployment_approval),
    },
  };
}
