/**
 * The AI policy in force when a risk's acceptance is decided (5.2, A.2.2; domain/shared/policy-in-force.ts):
 * after the step that decided the acceptance (accepted or refused), the risk asks the ai-policy activity
 * which published AI policy versions were in force at the decision's instant and notes them
 * (AiPolicyAtAcceptanceNoted), caused by the decision's evidence. None in force is noted too, as such.
 *
 * Upgrades: RISK_ACCEPTANCE_POLICY_PATCH is checked where the behaviour first happens (a step that decided
 * an acceptance), so running risks take it up at their next acceptance; recorded histories replay as before.
 */
import { log, patched, proxyActivities } from '@temporalio/workflow';
import type { AiPolicyActivities } from '../activities/ai-policy.activities';
import type { RiskCommand, RiskEvent, RiskState } from '../domain/risk';
import type { Step } from './runtime/decider';
import { now, type Process } from './runtime/process';

/** The patch marking runs that note the AI policy in force when a risk's acceptance is decided. */
export const RISK_ACCEPTANCE_POLICY_PATCH = 'risk-acceptance-notes-ai-policy';

// A read of the evidence: a few retries cover a store that is briefly unavailable.
const { aiPolicyInForce } = proxyActivities<AiPolicyActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumAttempts: 5 },
});

/** Notes the AI policy in force at the acceptance decision `done` recorded; the steps it took (none before the patch). */
export async function noteAiPolicyAtAcceptance(
  p: Process<RiskState, RiskCommand, RiskEvent>,
  done: Step<RiskEvent>,
): Promise<Step<RiskEvent>[]> {
  const index = done.events.findIndex((e) => e.type === 'RiskAcceptanceDecided');
  const decision = done.events[index];
  const decisionEventId = done.evidenceIds[index];
  if (decision === undefined || decisionEventId === undefined || !patched(RISK_ACCEPTANCE_POLICY_PATCH)) return [];
  try {
    const read = await aiPolicyInForce({ at: decision.at });
    const command: RiskCommand = {
      type: 'NoteAiPolicyAtAcceptance',
      decisionEventId,
      decidedAt: decision.at,
      policies: read.policies,
      source: read.source,
      at: now(),
    };
    return [await p.step(command, { causationId: decisionEventId, system: true })];
  } catch (error) {
    // The acceptance stands whatever happens here: a note that could not be read is logged.
    log.error(
      `AI policy in force not noted for risk ${decision.riskId}'s acceptance: ${error instanceof Error ? error.message : String(error)}`,
    );
    return [];
  }
}
