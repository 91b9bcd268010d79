/**
 * The AI policy in force when the deployment gate decides (5.2, A.2.2; issue 15 item 3): right after a
 * request is approved or blocked, the lifecycle reads which published AI policy versions were in force at
 * the decision's instant (domain/shared/policy-in-force.ts) and notes them against the request, so the
 * record of every gate decision names the policy text, by digest, it was taken under, or that none was.
 */
import { checkAiPolicies } from '../../shared/policy-in-force';
import { isIsoTimestamp } from '../../shared/iso-time';
import { ValidationIssues } from '../../shared/validation';
import { err, ok } from '../../shared/result';
import type * as C from '../commands';
import { aiSystemError, invalid } from '../errors';
import type { AiSystemRecord } from '../model';
import { findDeploymentRequest } from '../queries';
import { actorOf } from './common';
import type { DecideResult, Feature } from './feature';

function noteAiPolicyAtGate(c: C.NoteAiPolicyAtGate, s: AiSystemRecord): DecideResult {
  const v = new ValidationIssues();
  v.text('requestId', c.requestId);
  v.oneOf('decision', c.decision, ['approved', 'blocked']);
  v.text('decisionEventId', c.decisionEventId);
  if (!isIsoTimestamp(c.decidedAt)) v.add('decidedAt', 'must be an ISO-8601 timestamp, e.g. 2025-03-01T09:30:00Z');
  v.text('source', c.source);
  checkAiPolicies(v, 'policies', c.policies);
  if (!v.empty) return err(invalid(c.type, v.list));
  const r = findDeploymentRequest(s, c.requestId);
  if (r === undefined)
    return err(
      aiSystemError('DEPLOYMENT_REQUEST_UNKNOWN', `AI system ${s.profile.systemId} has no deployment request ${c.requestId}.`, {
        requestId: c.requestId,
      }),
    );
  if (r.status === 'pending_approval')
    return err(
      aiSystemError('DEPLOYMENT_NOT_APPROVED', `Deployment request ${c.requestId} is not decided yet: no policy to note.`, {
        requestId: c.requestId,
      }),
    );
  // The same decision noted already (a retried step): nothing new.
  if (r.aiPolicy?.decisionEventId === c.decisionEventId) return ok([]);
  return ok([
    {
      type: 'AiPolicyAtGateNoted',
      requestId: c.requestId,
      decision: c.decision,
      decisionEventId: c.decisionEventId,
      decidedAt: c.decidedAt,
      policies: c.policies.map((p) => ({ ...p, attachmentDigests: [...p.attachmentDigests] })),
      source: c.source,
      by: actorOf(c),
      at: c.at,
    },
  ]);
}

export const aiPolicyAtGate = {
  decide: { NoteAiPolicyAtGate: noteAiPolicyAtGate },
  evolve: {
    AiPolicyAtGateNoted: (s, e) => ({
      ...s,
      deploymentRequests: s.deploymentRequests.map((r) =>
        r.requestId === e.requestId
          ? {
              ...r,
              aiPolicy: {
                decision: e.decision,
                decisionEventId: e.decisionEventId,
                decidedAt: e.decidedAt,
                policies: e.policies,
                source: e.source,
                notedAt: e.at,
              },
            }
          : r,
      ),
    }),
  },
} satisfies Feature;
