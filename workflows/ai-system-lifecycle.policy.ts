/**
 * The AI policy in force at each deployment-gate decision (5.2, A.2.2; domain/shared/policy-in-force.ts):
 * after a step that approved or blocked a deployment request, the lifecycle asks the ai-policy activity
 * which published AI policy versions were in force at the decision's instant and notes them against the
 * request (AiPolicyAtGateNoted), caused by the decision's evidence. None in force is noted too, as such.
 *
 * Upgrades: AI_POLICY_AT_GATE_PATCH is checked where the behaviour first happens (a step that decided a
 * request), so runs started before it take it up at their next decision; recorded histories whose decisions
 * came before it replay without the marker, the activity or the note.
 *
 * Since AI_POLICY_LOCAL_READ_PATCH the read is a local activity, as the evidence append is: a gate that
 * decides at once (an auto-approved request) or a person's approval is answered in the workflow task that
 * decided it, instead of waiting for a scheduled activity's round trip through the server (issue 13 item 6).
 * Histories recorded before it replay their scheduled reads.
 */
import { log, patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { AiPolicyActivities } from '../activities/ai-policy.activities';
import type { AiSystemCommand, AiSystemEvent, AiSystemState } from '../domain/ai-system';
import type { Step } from './runtime/decider';
import { now, type Process } from './runtime/process';

/** The patch marking runs that note the AI policy in force when a deployment request is decided. */
export const AI_POLICY_AT_GATE_PATCH = 'ai-policy-noted-at-gate';

/** The patch marking runs that read the AI policy in force by a local activity. */
export const AI_POLICY_LOCAL_READ_PATCH = 'ai-policy-read-by-local-activity';

// A read of the evidence: a few retries cover a store that is briefly unavailable.
const readPolicy = { startToCloseTimeout: '30 seconds', retry: { initialInterval: '1 second', maximumAttempts: 5 } } as const;
const { aiPolicyInForce } = proxyActivities<AiPolicyActivities>(readPolicy);
const { aiPolicyInForce: aiPolicyInForceLocally } = proxyLocalActivities<AiPolicyActivities>(readPolicy);

/** Notes the AI policy in force at every deployment decision `done` recorded; the steps it took (none before the patch). */
export async function noteAiPolicyAtGate(
  p: Process<AiSystemState, AiSystemCommand, AiSystemEvent>,
  done: Step<AiSystemEvent>,
): Promise<Step<AiSystemEvent>[]> {
  const decisions = done.events.flatMap((e, i) =>
    e.type === 'DeploymentApproved' || e.type === 'DeploymentBlocked' ? [{ event: e, eventId: done.evidenceIds[i] }] : [],
  );
  if (decisions.length === 0 || !patched(AI_POLICY_AT_GATE_PATCH)) return [];
  const noted: Step<AiSystemEvent>[] = [];
  for (const { event, eventId } of decisions) {
    if (eventId === undefined) continue;
    try {
      const read = patched(AI_POLICY_LOCAL_READ_PATCH)
        ? await aiPolicyInForceLocally({ at: event.at })
        : await aiPolicyInForce({ at: event.at });
      const command: AiSystemCommand = {
        type: 'NoteAiPolicyAtGate',
        requestId: event.requestId,
        decision: event.type === 'DeploymentApproved' ? 'approved' : 'blocked',
        decisionEventId: eventId,
        decidedAt: event.at,
        policies: read.policies,
        source: read.source,
        at: now(),
      };
      noted.push(await p.step(command, { causationId: eventId, system: true }));
    } catch (error) {
      // The decision stands whatever happens here: a note that could not be read is logged, not retried forever.
      log.error(
        `AI policy in force not noted for deployment request ${event.requestId}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return noted;
}
