/**
 * The AI policy in force at a deployment decision (5.2, A.2.2): the lifecycle notes, against the decided
 * request, every AI policy version the activity found in force at the decision's instant, or none.
 */
import { deploymentRequestView, SYSTEM_ACTOR, type AiSystemCommand } from '../../../../domain/ai-system';
import { aiPolicySummary, type AiPolicyVersionRef } from '../../../../domain/shared/policy-in-force';
import {
  after,
  approver,
  at,
  developer,
  decideTask,
  fieldsOf,
  given,
  ofType,
  registered,
  requestDeployment,
  thenError,
  thenEvents,
  toSignedOff,
  types,
  when,
} from './scenario';

const policyV2: AiPolicyVersionRef = {
  documentId: 'ai-policy',
  title: 'AI policy',
  version: 2,
  markdownDigest: `sha256:${'b'.repeat(64)}`,
  attachmentDigests: [],
  publishedAt: at(2),
};

const note = (
  policies: AiPolicyVersionRef[],
  decisionEventId = 'ev-approved',
  decision: 'approved' | 'blocked' = 'approved',
  requestId = 'D-1',
): AiSystemCommand => ({
  type: 'NoteAiPolicyAtGate',
  requestId,
  decision,
  decisionEventId,
  decidedAt: at(10),
  policies,
  source: 'document evidence',
  at: at(10),
});

describe('the AI policy in force at the deployment gate (5.2, A.2.2)', () => {
  const approved = () => {
    const s = given(...toSignedOff(), requestDeployment());
    return after(s, when(s, decideTask('task-deploy-D-1', 'approved', approver, 10)));
  };

  test('given an approved request, when the policy in force is noted, then the request names its version and digest', () => {
    const s = approved();
    const events = thenEvents(when(s, note([policyV2])));
    expect(types(events)).toEqual(['AiPolicyAtGateNoted']);
    expect(ofType(events, 'AiPolicyAtGateNoted')).toMatchObject({ requestId: 'D-1', decision: 'approved', by: SYSTEM_ACTOR });
    const view = deploymentRequestView(after(s, when(s, note([policyV2]))), 'D-1');
    expect(view?.aiPolicy).toEqual({
      decision: 'approved',
      decisionEventId: 'ev-approved',
      decidedAt: at(10),
      policies: [policyV2],
      source: 'document evidence',
      notedAt: at(10),
    });
    expect(aiPolicySummary(view?.aiPolicy?.policies ?? [])).toBe(`ai-policy v2 (sha256:${'b'.repeat(12)}…)`);
  });

  test('none in force is noted as such: an empty list, shown as "none in force"', () => {
    const s = approved();
    const noted = after(s, when(s, note([])));
    expect(registered(noted).deploymentRequests[0]?.aiPolicy?.policies).toEqual([]);
    expect(aiPolicySummary([])).toBe('none in force');
  });

  test('the same decision noted again records nothing; a later decision of the same request replaces the note', () => {
    const s = after(approved(), when(approved(), note([policyV2])));
    expect(thenEvents(when(s, note([policyV2])))).toEqual([]);
    const later = after(s, when(s, note([], 'ev-blocked', 'blocked')));
    expect(deploymentRequestView(later, 'D-1')?.aiPolicy).toMatchObject({
      decision: 'blocked',
      decisionEventId: 'ev-blocked',
      policies: [],
    });
  });

  test('a request still pending, or unknown, has no decision to note; the view of a pending request carries no policy', () => {
    const pending = given(...toSignedOff(), requestDeployment());
    thenError(when(pending, note([policyV2])), 'DEPLOYMENT_NOT_APPROVED');
    thenError(when(approved(), note([policyV2], 'ev', 'approved', 'D-9')), 'DEPLOYMENT_REQUEST_UNKNOWN');
    expect(deploymentRequestView(pending, 'D-1')).not.toHaveProperty('aiPolicy');
  });

  test('a malformed note names each bad field; a person issuing it needs aims_owner', () => {
    const s = approved();
    const bad = {
      ...note([{ ...policyV2, version: 0, markdownDigest: 'nope', attachmentDigests: ['x'], publishedAt: 'then' }]),
      decision: 'maybe',
      decidedAt: 'soon',
    } as unknown as AiSystemCommand;
    expect(fieldsOf(thenError(when(s, bad), 'VALIDATION_FAILED'))).toEqual([
      'decision',
      'decidedAt',
      'policies[0].version',
      'policies[0].markdownDigest',
      'policies[0].attachmentDigests',
      'policies[0].publishedAt',
    ]);
    thenError(when(s, { ...note([policyV2]), by: developer }), 'MISSING_ROLE');
    thenError(when(s, { ...note([]), policies: null } as unknown as AiSystemCommand), 'VALIDATION_FAILED');
  });
});
